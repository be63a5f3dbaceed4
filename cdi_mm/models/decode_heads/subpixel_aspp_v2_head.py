"""DeepLab-v2's ASPP head with a learned sub-pixel refinement of its scores,
for segmenters whose features stay at the latent's stride."""
import torch.nn as nn
import torch.nn.functional as F

from cdi_mm.registry import MODELS
from .aspp_v2_head import ASPPV2Head

__all__ = ['SubPixelASPPV2Head']


@MODELS.register_module()
class SubPixelASPPV2Head(ASPPV2Head):
    """:class:`ASPPV2Head` whose class scores are refined to ``scale`` times
    the feature resolution by a sub-pixel convolution.

    A cResNet-d reads the codec latent at output stride 8 and keeps it there,
    so its scores, upsampled bilinearly, cannot place an object boundary inside
    an 8x8 cell; yet the latent holds what lies inside each cell (the codec's
    synthesis transform draws it from there). Here a 1x1 convolution predicts,
    at every feature position, ``scale ** 2`` score offsets per class, which
    depth-to-space (Shi et al., "Real-Time Single Image and Video
    Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural
    Network", CVPR 2016) lays out on the ``scale``-times finer grid, added to
    the bilinearly upsampled DeepLab-v2 scores (Chen et al., TPAMI 2017, the
    head of Torfason et al. 2018). The refinement starts at zero, so an
    untrained refinement leaves :class:`ASPPV2Head`'s scores as they are.

    Args:
        scale (int): Upsampling factor of the refinement (the backbone's
            output stride relative to the label map; 8 for latents of
            stride-8 codecs). Defaults to 8.
        **kwargs: Arguments of :class:`ASPPV2Head` (``dilations``,
            ``in_channels``, ``num_classes``, ...).
    """

    def __init__(self, scale=8, **kwargs):
        if int(scale) != scale or scale < 1:
            raise ValueError(f'scale must be a positive integer, got {scale}')
        super().__init__(**kwargs)
        self.scale = int(scale)
        self.subpixel_conv = nn.Conv2d(self.in_channels,
                                       self.out_channels * self.scale**2, 1)
        nn.init.zeros_(self.subpixel_conv.weight)
        nn.init.zeros_(self.subpixel_conv.bias)

    def forward(self, inputs):
        x = self._transform_inputs(inputs)
        if self.dropout is not None:
            x = self.dropout(x)
        coarse = sum(conv(x) for conv in self.aspp_convs)
        upsampled = F.interpolate(
            coarse,
            scale_factor=self.scale,
            mode='bilinear',
            align_corners=self.align_corners)
        return upsampled + F.pixel_shuffle(self.subpixel_conv(x), self.scale)
