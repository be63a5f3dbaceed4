"""DeepLab-v2's atrous spatial pyramid pooling head, as used by Torfason et al.
2018."""
import torch.nn as nn
from mmseg.models.decode_heads.decode_head import BaseDecodeHead

from cdi_mm.registry import MODELS

__all__ = ['ASPPV2Head']


@MODELS.register_module()
class ASPPV2Head(BaseDecodeHead):
    """DeepLab-v2 ASPP: parallel 3x3 convolutions with different dilations,
    straight from the backbone features to the class scores, summed.

    Chen et al., "DeepLab: Semantic Image Segmentation with Deep Convolutional
    Nets, Atrous Convolution, and Fully Connected CRFs", TPAMI 2017 (ASPP-L:
    rates 6/12/18/24), the head Torfason et al. 2018 (Sec. 4.2) put on their
    cResNets. Unlike mmseg's ``ASPPHead`` (DeepLab-v3: 1x1 branch, image
    pooling, a 512-channel bottleneck with BN, then a 1x1 classifier) there is
    no bottleneck, no normalisation and no image pooling: each branch is one
    biased ``Conv2d(in_channels, num_classes, 3, dilation=r)``.

    Rates and the feature map: DeepLab-v2 chose 6/12/18/24 for 321x321 crops at
    output stride 8, a 41x41 feature map, so the largest rate reaches about 60%
    of the map. A branch whose rate is at least the feature side sees only its
    centre tap (the others fall in the zero padding) and degenerates to a 1x1
    convolution. For a crop of side S at output stride s (relative to the
    image; latents are already at stride 8), scale the rates by ``(S / s) /
    41``: e.g. 512x512 VOC crops at stride 8 (64x64 features) keep 6/12/18/24
    (or up to 9/18/28/37), 224x224 photo scenes at stride 8 (28x28) call for
    about 4/8/12/16.

    Args:
        dilations (Sequence[int]): One branch per rate. Defaults to (6, 12, 18,
            24).
        channels (int, optional): Unused by this head (kept so configs that
            inherit ``ASPPHead`` settings stay valid); defaults to
            ``in_channels``.
        **kwargs: Arguments of mmseg's ``BaseDecodeHead`` (``in_channels``,
            ``num_classes``, ``in_index``, ``dropout_ratio``, ``loss_decode``,
            ...).
    """

    def __init__(self, dilations=(6, 12, 18, 24), channels=None, **kwargs):
        if not dilations or any(int(d) != d or d < 1 for d in dilations):
            raise ValueError(
                f'dilations must be positive integers, got {dilations}')
        kwargs.setdefault(
            'init_cfg',
            dict(type='Normal', std=0.01, override=dict(name='aspp_convs')))
        super().__init__(channels=channels or kwargs['in_channels'], **kwargs)
        self.dilations = tuple(dilations)
        del self.conv_seg  # the branches themselves are the classifier
        self.aspp_convs = nn.ModuleList(
            nn.Conv2d(
                self.in_channels, self.out_channels, 3, padding=d, dilation=d)
            for d in self.dilations)

    def forward(self, inputs):
        x = self._transform_inputs(inputs)
        if self.dropout is not None:
            x = self.dropout(x)
        return sum(conv(x) for conv in self.aspp_convs)
