"""mmpretrain's ResNet with the extra depth the paper's baselines use."""
from mmpretrain.models.backbones.resnet import Bottleneck, ResNet

from cdi_mm.registry import MODELS


@MODELS.register_module()
class PaperResNet(ResNet):
    """mmpretrain ``ResNet`` plus ResNet-71 (Torfason et al. 2018, Table 1): ResNet-50
    with 13 instead of 6 blocks in conv4_x, the RGB baseline matched to cResNet-72's
    compute. Every other depth and argument is mmpretrain's.

    Args:
        depth (int): 18, 34, 50, 71, 101 or 152.
        **kwargs: Arguments of :class:`mmpretrain.models.ResNet`.
    """

    arch_settings = {**ResNet.arch_settings, 71: (Bottleneck, (3, 4, 13, 3))}
