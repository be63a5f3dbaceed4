from .cresnet import CResNet

__all__ = ['CResNet']
