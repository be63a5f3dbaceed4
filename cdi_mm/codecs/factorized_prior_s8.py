"""A stride-8 GDN codec with a factorized prior, for the cResNets' 28x28
latents."""
import torch.nn as nn
from compressai.layers import GDN
from compressai.registry import register_model

from .quantized_codec import QuantizedTransformCodec, conv, deconv

__all__ = ['FactorizedPriorStride8']


@register_model('factorized-prior-s8')
class FactorizedPriorStride8(QuantizedTransformCodec):
    r"""Ballé et al.'s factorized-prior codec with three stride-2 stages
    instead of four.

    Ballé, Minnen, Singh, Hwang, Johnston, "Variational image compression with
    a scale hyperprior", ICLR 2018 (its factorized-prior baseline; GDN from
    Ballé, Laparra, Simoncelli, ICLR 2016/2017). Three 5x5 stride-2 stages give
    the stride of Torfason et al. 2018 (224x224 -> 28x28xC), so the cResNets
    read its latent unchanged.

    .. code-block:: none

              ┌───────────────── g_a ─────────────────┐
        x ──► conv5x5/2 ─ GDN ─ conv5x5/2 ─ GDN ─ conv5x5/2 ──► y (C x H/8 x
        W/8)
                                                                │
                                              quantizer (entropy bottleneck |
                                                                centres) │ rANS
                                                                ⇄ bytes
        x_hat ◄── clip ─ deconv5x5/2 ─ IGDN ─ deconv5x5/2 ─ IGDN ─ deconv5x5/2
              ◄── y_hat └───────────────── g_s ─────────────────┘

    Images are float RGB in ``[0, 1]`` with sides that are multiples of 8.

    Args:
        channels (int): Latent channels C (8, 16, 32 for the paper's operating
            points).
        N (int): Width of the hidden layers. Defaults to 128.
        quantizer (str): ``'entropy-bottleneck'`` (default: Ballé's learned
            factorized density, loss MSE + lambda * bpp) or ``'ste-centers'``.
        quantizer_cfg (dict, optional): Extra arguments of the quantizer.
    """

    arch = 'factorized-prior-s8'

    def __init__(self,
                 channels=32,
                 N=128,
                 quantizer='entropy-bottleneck',
                 quantizer_cfg=None):
        if N < 1:
            raise ValueError(f'N must be positive, got {N}')
        super().__init__(channels, quantizer, quantizer_cfg)
        self.g_a = nn.Sequential(
            conv(3, N, 5, 2), GDN(N), conv(N, N, 5, 2), GDN(N),
            conv(N, channels, 5, 2))
        self.g_s = nn.Sequential(
            deconv(channels, N), GDN(N, inverse=True), deconv(N, N),
            GDN(N, inverse=True), deconv(N, 3))

    def analysis(self, x):
        """g_a: image in [0, 1] -> continuous latent y."""
        return self.g_a(x)

    def synthesis(self, y_hat):
        """g_s: quantized latent -> image clipped to [0, 1]."""
        return self.g_s(y_hat).clamp(0, 1)
