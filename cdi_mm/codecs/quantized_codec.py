"""The base of cdi_mm's own codecs: an analysis / synthesis transform pair
around one of cdi_mm's quantizers, with real rANS coding and bounded
decoding."""
import torch.nn as nn
from compressai.models import CompressionModel

from .quantizers import build_quantizer

__all__ = ['QuantizedTransformCodec', 'conv', 'deconv']


def conv(in_ch, out_ch, kernel, stride=1):
    """A convolution that keeps (stride 1) or divides (stride s) the spatial
    size."""
    return nn.Conv2d(in_ch, out_ch, kernel, stride=stride, padding=kernel // 2)


def deconv(in_ch, out_ch, kernel=5, stride=2):
    """A transposed convolution that multiplies the spatial size by
    ``stride``."""
    return nn.ConvTranspose2d(
        in_ch,
        out_ch,
        kernel,
        stride=stride,
        padding=kernel // 2,
        output_padding=stride - 1)


class QuantizedTransformCodec(CompressionModel):
    """A transform codec ``x -> g_a -> quantizer -> g_s -> x_hat`` whose latent
    the cResNets read.

    Subclasses build ``g_a`` / ``g_s`` and say how images enter and leave them
    (:meth:`analysis`, :meth:`synthesis`) and set ``arch`` (recorded in the
    codec fingerprint); this class provides the rest of the codec interface
    (:class:`~cdi_mm.codecs.interface.LatentCodec`) and training ``forward``
    and ``decompress``. Decoding goes through the quantizer's bounded decoder
    (memory-safe on forged payloads).

    Args:
        channels (int): Latent channels C.
        quantizer (str): ``'ste-centers'`` or ``'entropy-bottleneck'``.
        quantizer_cfg (dict, optional): Extra arguments of the quantizer.
    """

    stride = 8
    pad_multiple = 8
    num_streams = 1
    arch = None

    def __init__(self, channels, quantizer, quantizer_cfg=None):
        super().__init__()
        if channels < 1:
            raise ValueError(f'channels must be positive, got {channels}')
        self.latent_channels = channels
        self.quantizer = build_quantizer(quantizer, channels,
                                         **(quantizer_cfg or {}))

    @property
    def quantizer_name(self):
        return self.quantizer.name

    def analysis(self, x):
        """g_a: image in [0, 1] -> continuous latent y."""
        raise NotImplementedError

    def synthesis(self, y_hat):
        """g_s: quantized latent -> image clipped to [0, 1]."""
        raise NotImplementedError

    def forward(self, x):
        y_hat, likelihoods = self.quantizer(self.analysis(x))
        return {
            'x_hat': self.synthesis(y_hat),
            'y_hat': y_hat,
            'likelihoods': {
                'y': likelihoods
            }
        }

    def encode_latent(self, x):
        """The quantized latent of ``x``: exactly what
        :meth:`decompress_latent` returns."""
        y_hat, _ = self.quantizer(self.analysis(x))
        return y_hat

    def update(self, scale_table=None, force=False, update_quantiles=False):
        return self.quantizer.update(force=force)

    def aux_loss(self):
        aux = getattr(self.quantizer, 'aux_loss', None)
        return aux() if aux is not None else next(self.parameters()).new_zeros(
            ())

    def compress(self, x):
        y = self.analysis(x)
        return {
            'strings': [self.quantizer.compress(y)],
            'shape': tuple(y.shape[-2:])
        }

    def decompress_latent(self, strings, latent_hw):
        """rANS strings -> the exact quantized latent of size ``latent_hw`` (no
        synthesis transform)."""
        return self.quantizer.decompress(strings[0], tuple(latent_hw))

    def latent_symbols(self, x):
        """Padded images -> the int32 symbols ``(B, C, h, w)`` their latent is
        coded as (for tiled ``.cdi`` version 2)."""
        return self.quantizer.symbol_values(self.analysis(x))

    def decode_symbols(self, strings, latent_hw):
        """Version-1 rANS strings -> int32 symbols ``(1, C, h, w)``."""
        return self.quantizer.decode_symbols(strings[0], tuple(latent_hw))

    def symbol_coding(self):
        """Tables and symbol map for tiled coding
        (:class:`~cdi_mm.codecs.tiled.SymbolCoding`)."""
        return self.quantizer.symbol_coding()

    def decompress(self, strings, shape):
        return {
            'x_hat': self.synthesis(self.decompress_latent(strings, shape))
        }

    def coding_state(self):
        return self.quantizer.coding_state()
