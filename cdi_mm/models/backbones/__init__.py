from .cresnet import CResNet
from .paper_resnet import PaperResNet

__all__ = ['CResNet', 'PaperResNet']
