from .cresnet import CResNet
from .paper_resnet import PaperResNet, PaperSegResNet

__all__ = ['CResNet', 'PaperResNet', 'PaperSegResNet']
