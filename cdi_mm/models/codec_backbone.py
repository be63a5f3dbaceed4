"""Any codec stem in front of any stock backbone."""
from mmengine.model import BaseModule
from mmengine.registry import MODELS as MMENGINE_MODELS

from cdi_mm.registry import MODELS

__all__ = ['CodecBackbone']


@MODELS.register_module()
class CodecBackbone(BaseModule):
    """``backbone(stem(image))`` (Torfason et al. 2018).

    cResNet on the fly: ``stem=dict(type='CodecStem', output='latent')`` with
    ``backbone=dict(type='CResNet', in_channels=C)``; the decode-then-classify
    baseline: ``output='reconstruction'`` with a stock ``ResNet``. The backbone
    is built in the config's scope (mmpretrain or mmseg), so stock backbones
    keep their plain names.

    Args:
        stem (dict): A :class:`CodecStem` config.
        backbone (dict): Any backbone config of the current scope.
        latent_stride (int, optional): The latent stride the backbone was
            designed for (8 for the cResNets: 224x224 -> 28x28). A stem whose
            codec has another stride (e.g. a CompressAI zoo model, stride 16)
            is refused at build time.
        init_cfg (dict, optional): mmengine init config.

    Raises:
        ValueError: The backbone expects a different number of input channels
            than the stem gives (e.g. codec C=16 with
            ``CResNet(in_channels=32)``), or the codec's stride is not
            ``latent_stride``.
    """

    def __init__(self, stem, backbone, latent_stride=None, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.stem = MMENGINE_MODELS.build(stem)
        self.backbone = MMENGINE_MODELS.build(backbone)
        given = (
            self.stem.latent_channels if self.stem.output == 'latent' else 3)
        expected = getattr(self.backbone, 'in_channels', None)
        if expected is not None and expected != given:
            raise ValueError(
                f'the stem gives {given} channels ({self.stem.output}) but '
                f'the backbone expects in_channels={expected}; set the '
                f'backbone in_channels to {given}')
        if (latent_stride is not None and self.stem.output == 'latent'
                and self.stem.stride != latent_stride):
            raise ValueError(
                f'the codec has stride {self.stem.stride} but this backbone '
                f'expects latent_stride={latent_stride}; use a codec of '
                f'stride {latent_stride} (torfason2018 has 8) or set '
                f'latent_stride={self.stem.stride} and size the crops for '
                'that stride')

    def forward(self, x):
        return self.backbone(self.stem(x))
