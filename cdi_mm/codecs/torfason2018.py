"""The learned codec of Torfason et al. 2018 as a CompressAI model."""
import torch
import torch.nn as nn
from compressai.registry import register_model

from .quantized_codec import QuantizedTransformCodec, conv, deconv

__all__ = ['Torfason2018']

#: Fixed per-channel normalisation of [0, 1] RGB input (ImageNet statistics).
_MEAN = (0.485, 0.456, 0.406)
_STD = (0.229, 0.224, 0.225)


def _norm(channels, batch_norm):
    return nn.BatchNorm2d(channels) if batch_norm else nn.Identity()


class _ResidualBlock(nn.Sequential):
    """conv3x3 - BN - ReLU - conv3x3 - BN, plus the identity (no BN if not
    ``batch_norm``)."""

    def __init__(self, channels, batch_norm=True):
        super().__init__(
            conv(channels, channels, 3), _norm(channels, batch_norm),
            nn.ReLU(inplace=True), conv(channels, channels, 3),
            _norm(channels, batch_norm))

    def forward(self, x):
        return x + super().forward(x)


class _ResidualTrunk(nn.Module):
    """``num_groups`` groups of ``blocks_per_group`` residual blocks, each
    group with its own skip, then one more block and a skip around everything
    (at 1/4 resolution)."""

    def __init__(self,
                 channels,
                 num_groups,
                 blocks_per_group,
                 batch_norm=True):
        super().__init__()
        self.groups = nn.ModuleList(
            nn.Sequential(*[
                _ResidualBlock(channels, batch_norm)
                for _ in range(blocks_per_group)
            ]) for _ in range(num_groups))
        self.last = _ResidualBlock(channels, batch_norm)

    def forward(self, x):
        out = x
        for group in self.groups:
            out = out + group(out)
        return x + self.last(out)


@register_model('torfason2018')
class Torfason2018(QuantizedTransformCodec):
    r"""Stride-8 convolutional autoencoder with scalar quantization and rANS
    coding.

    Torfason et al., "Towards Image Understanding from Deep Compression Without
    Decoding", ICLR 2018; the autoencoder follows Theis et al. 2017 / Mentzer
    et al. 2018.

    .. code-block:: none

              ┌──────────────── g_a ────────────────┐
        x ──► norm ─ conv5x5/2 ─ conv5x5/2 ─ residual trunk ─ conv5x5/2 ──► y
        (C x H/8 x W/8)
                                                                          │
                                                            quantizer (centres
                                                                          | EB)
                                                                          │
                                                                          rANS
                                                                          ⇄
                                                                          bytes
        x_hat ◄── clip ─ denorm ─ deconv5x5/2 ─ trunk ─ deconv5x5/2 ─
              deconv5x5/2 ◄── y_hat └──────────────── g_s ────────────────┘

    Images are float RGB in ``[0, 1]`` with sides that are multiples of 8 (use
    :func:`cdi_mm.codecs.pad_to_stride` otherwise); ``y_hat`` is the latent the
    cResNets consume.

    Args:
        channels (int): Latent channels C (8, 16, 32 in the paper; any positive
            C).
        N (int): Width of the residual trunk (128 in the paper). Defaults to
            128.
        num_groups (int): Residual groups (5 in the paper). Defaults to 5.
        blocks_per_group (int): Residual blocks per group (3). Defaults to 3.
        quantizer (str): ``'ste-centers'`` (the paper's) or
            ``'entropy-bottleneck'``.
        quantizer_cfg (dict, optional): Extra arguments of the quantizer, e.g.
            ``dict(num_centers=6)``.
        batch_norm (bool): The paper's BatchNorm after every convolution but
            the last of each transform. False drops it (the convolutions keep
            their biases), a variant that trains and evaluates the same way:
            with BatchNorm the reconstruction of a training batch uses batch
            statistics and the coded file the running ones. Recorded in
            ``arch`` (``torfason2018-nobn``) and so in the fingerprint.
            Defaults to True.
    """

    arch = 'torfason2018'

    def __init__(self,
                 channels=32,
                 N=128,
                 num_groups=5,
                 blocks_per_group=3,
                 quantizer='ste-centers',
                 quantizer_cfg=None,
                 batch_norm=True):
        if N < 2:
            raise ValueError(f'N must be at least 2, got {N}')
        super().__init__(channels, quantizer, quantizer_cfg)
        if not batch_norm:
            self.arch = 'torfason2018-nobn'
        bn = batch_norm
        self.register_buffer('pixel_mean',
                             torch.tensor(_MEAN).view(1, 3, 1, 1))
        self.register_buffer('pixel_std', torch.tensor(_STD).view(1, 3, 1, 1))
        self.g_a = nn.Sequential(
            conv(3, N // 2, 5, 2), _norm(N // 2, bn), nn.ReLU(inplace=True),
            conv(N // 2, N, 5, 2), _norm(N, bn), nn.ReLU(inplace=True),
            _ResidualTrunk(N, num_groups, blocks_per_group, bn),
            conv(N, channels, 5, 2))
        self.g_s = nn.Sequential(
            deconv(channels, N), _norm(N, bn), nn.ReLU(inplace=True),
            _ResidualTrunk(N, num_groups, blocks_per_group, bn),
            deconv(N, N // 2), _norm(N // 2, bn), nn.ReLU(inplace=True),
            deconv(N // 2, 3))

    def analysis(self, x):
        """g_a: image in [0, 1] -> continuous latent y."""
        return self.g_a((x - self.pixel_mean) / self.pixel_std)

    def synthesis(self, y_hat):
        """g_s: quantized latent -> image clipped to [0, 1]."""
        return (self.g_s(y_hat) * self.pixel_std + self.pixel_mean).clamp(0, 1)
