"""mmpretrain's and mmseg's ResNets with the extra depth the paper's baselines
use."""
from mmpretrain.models.backbones.resnet import Bottleneck, ResNet
from mmseg.models.backbones.resnet import Bottleneck as SegBottleneck
from mmseg.models.backbones.resnet import ResNet as SegResNet

from cdi_mm.registry import MODELS

#: Blocks per stage of ResNet-71 (Torfason et al. 2018, Table 1): ResNet-50
#: with 13 instead of 6 blocks in conv4_x, the RGB baseline matched to
#: cResNet-72's compute.
RESNET71_STAGE_BLOCKS = (3, 4, 13, 3)


@MODELS.register_module()
class PaperResNet(ResNet):
    """mmpretrain ``ResNet`` plus ResNet-71 (Torfason et al. 2018, Table 1),
    the classification baseline on decoded images. Every other depth and
    argument is mmpretrain's.

    Args:
        depth (int): 18, 34, 50, 71, 101 or 152.
        **kwargs: Arguments of :class:`mmpretrain.models.ResNet`.
    """

    arch_settings = {
        **ResNet.arch_settings, 71: (Bottleneck, RESNET71_STAGE_BLOCKS)
    }


@MODELS.register_module()
class PaperSegResNet(SegResNet):
    """mmseg ``ResNet`` plus ResNet-71 (Torfason et al. 2018, Sec. 4.2 and
    Table 1), for the dilated segmentation baselines on decoded images
    (ResNet-50-d, and ResNet-71-d matched to cResNet-72-d). Its plain 7x7 stem
    and parameter names are those of mmpretrain's ResNet, so the decoded-image
    ImageNet classifiers initialise it. Every other depth and argument is
    mmseg's.

    Args:
        depth (int): 18, 34, 50, 71, 101 or 152.
        **kwargs: Arguments of :class:`mmseg.models.ResNet`, e.g. ``strides=(1,
            2, 1, 1)``, ``dilations=(1, 1, 2, 4)``, ``contract_dilation=True``
            for output stride 8.
    """

    arch_settings = {
        **SegResNet.arch_settings, 71: (SegBottleneck, RESNET71_STAGE_BLOCKS)
    }
