"""Quantizers with real entropy coding for the torfason2018 codec.

Both quantizers share one interface so the codec does not care which is used:

* ``forward(y) -> (y_hat, likelihoods)``: ``y_hat`` is what the decoder and the
  task network see, ``-log2(likelihoods)`` the estimated bits of each latent
  element;
* ``compress(y) -> list[bytes]`` (one rANS string per image) and
  ``decompress(strings, size) -> y_hat``, bit-identical to ``forward`` in eval
  mode;
* ``update(force)`` rebuilds the coding tables; ``coding_state()`` lists the
  tensors that define the bitstream (hashed into the codec fingerprint);
* ``symbol_values(y)`` (the integers the tables code), ``decode_symbols``
  (those integers from version-1 strings) and ``symbol_coding()`` (the tables
  and the symbol-to-value map for tiled ``.cdi`` version 2).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from compressai.entropy_models import EntropyBottleneck
from compressai.entropy_models.entropy_models import pmf_to_quantized_cdf

from .entropy_models import entropy_bottleneck_symbols
from .rans import BoundedRansDecoder, rans_encode, use_safe_entropy_coder
from .tiled import SymbolCoding, SymbolDequantizer

__all__ = [
    'CentersQuantizer', 'EntropyBottleneckQuantizer', 'build_quantizer',
    'SymbolRangeError'
]


class SymbolRangeError(ValueError):
    """A decoded symbol lies outside the quantizer's alphabet (corrupted
    payload)."""


class CentersQuantizer(nn.Module):
    """Scalar quantization to ``L`` learned centres (Agustsson et al. 2017,
    Mentzer et al. 2018), as used by Torfason et al. 2018.

    Forward: hard nearest centre; backward: the soft assignment
    ``softmax(-sigma * (y - c)^2)`` (straight-through). The per-channel symbol
    histogram of the batch gives the bit estimate; its gradient flows through
    the soft assignment. In training, an exponential moving average of the
    histogram is kept in ``counts``; :meth:`update` turns it into the
    per-channel rANS tables (``_quantized_cdf``, stored in the state dict) with
    CompressAI's escape symbol appended.

    Args:
        channels (int): Latent channels C.
        num_centers (int): L. Defaults to 6.
        sigma (float): Softness of the assignment. Defaults to 1.
        momentum (float): EMA momentum of the histogram. Defaults to 0.01.
        precision (int): rANS probability precision in bits; CompressAI's coder
            works at 16 only, so any other value is refused. Defaults to 16.
    """

    name = 'ste-centers'

    def __init__(self,
                 channels,
                 num_centers=6,
                 sigma=1.0,
                 momentum=0.01,
                 precision=16):
        super().__init__()
        if channels < 1 or num_centers < 2:
            raise ValueError(
                f'need channels >= 1 and num_centers >= 2, got {channels}, '
                f'{num_centers}')
        if precision != 16:
            raise ValueError(
                f'precision must be 16 (CompressAI codes at 16 bits), got '
                f'{precision}')
        self.channels = channels
        self.num_centers = num_centers
        self.sigma = sigma
        self.momentum = momentum
        self.precision = precision
        self.centers = nn.Parameter(torch.empty(num_centers).uniform_(-2, 2))
        self.register_buffer(
            'counts', torch.full((channels, num_centers), 1.0 / num_centers))
        self.register_buffer(
            '_quantized_cdf',
            torch.zeros(channels, num_centers + 2, dtype=torch.int32))
        self.register_buffer('_cdf_length',
                             torch.zeros(channels, dtype=torch.int32))
        self.register_buffer('_offset',
                             torch.zeros(channels, dtype=torch.int32))

    def symbols(self, y):
        """Index of the nearest centre for each element of ``y`` (B, C, H,
        W)."""
        return ((y.unsqueeze(-1) - self.centers)**2).argmin(-1)

    def forward(self, y):
        dist = (y.unsqueeze(-1) - self.centers)**2
        soft = F.softmax(-self.sigma * dist, dim=-1)
        symbols = dist.argmin(-1)
        hard = F.one_hot(symbols, self.num_centers).to(y.dtype)
        y_soft = (soft * self.centers).sum(-1)
        # exactly the hard centre in value (x - x == 0), the soft gradient
        y_hat = self.centers[symbols].detach() + (y_soft - y_soft.detach())
        # per-channel histogram: value of the hard one, gradient of the soft
        # one
        p_soft = soft.mean(dim=(0, 2, 3))
        p_hard = hard.mean(dim=(0, 2, 3))
        pmf = p_hard + (p_soft - p_soft.detach())
        if self.training:
            with torch.no_grad():
                self.counts.lerp_(p_hard, self.momentum)
        likelihoods = pmf.gather(
            1,
            symbols.permute(1, 0, 2, 3).reshape(self.channels, -1))
        likelihoods = likelihoods.reshape(self.channels, y.shape[0],
                                          *y.shape[2:])
        return y_hat, likelihoods.permute(1, 0, 2, 3).clamp_min(1e-9)

    def update(self, force=False):
        """Build the rANS tables from the histogram. Returns True if
        updated."""
        if self._cdf_length.any() and not force:
            return False
        pmf = self.counts.double().clamp_min(0)
        pmf = pmf / pmf.sum(1, keepdim=True)
        tail = torch.full((self.channels, 1),
                          2.0**-self.precision,
                          dtype=pmf.dtype)
        for c in range(self.channels):
            cdf = pmf_to_quantized_cdf(
                torch.cat([pmf[c] * (1 - tail[c]), tail[c]]).float(),
                self.precision)
            self._quantized_cdf[c, :cdf.numel()] = cdf
        self._cdf_length.fill_(self.num_centers + 2)
        self._offset.zero_()
        return True

    def _check_tables(self):
        if not self._cdf_length.any():
            raise RuntimeError(
                'coding tables are not built; call codec.update() first')

    def _indexes(self, batch, size):
        return torch.arange(
            self.channels,
            dtype=torch.int32).view(1, -1, 1,
                                    1).expand(batch, self.channels, *size)

    def compress(self, y):
        self._check_tables()
        symbols = self.symbols(y).to(torch.int32).cpu()
        indexes = self._indexes(y.shape[0], y.shape[2:])
        return [
            rans_encode(symbols[i].reshape(-1), indexes[i].reshape(-1),
                        self._quantized_cdf, self._cdf_length, self._offset,
                        self.precision) for i in range(y.shape[0])
        ]

    def symbol_values(self, y):
        """int32 symbols (centre indexes) of ``y``, as :meth:`compress` codes
        them."""
        return self.symbols(y).to(torch.int32)

    def decode_symbols(self, strings, size):
        """int32 symbols ``(B, C, h, w)`` of rANS strings, with the bounded
        decoder (:mod:`cdi_mm.codecs.rans`); an escape decodes to a value
        outside the alphabet, which is refused."""
        self._check_tables()
        decoder = BoundedRansDecoder.for_tables(self, self._quantized_cdf,
                                                self._cdf_length, self._offset,
                                                self.precision)
        indexes = decoder.indexes(
            tuple(size), lambda: self._indexes(1, size),
            self.channels * math.prod(size), strings)
        symbols = torch.stack([decoder.decode(s, indexes) for s in strings])
        if symbols.numel() and (symbols.min() < 0
                                or symbols.max() >= self.num_centers):
            raise SymbolRangeError('decoded symbol outside the alphabet of '
                                   f'{self.num_centers} centres')
        return symbols.reshape(len(strings), self.channels, *size)

    def decompress(self, strings, size):
        """The latent of rANS strings (:meth:`decode_symbols`, then the
        centres)."""
        symbols = self.decode_symbols(strings, size).long()
        centers = self.centers.detach().cpu()
        # index_select: ~100x faster than advanced indexing for a 1-D table
        return centers.index_select(0,
                                    symbols.reshape(-1)).reshape(symbols.shape)

    def symbol_coding(self):
        """The tables for tiled coding; symbols are centre indexes."""
        self._check_tables()
        return SymbolCoding(
            self._quantized_cdf, self._cdf_length, self._offset,
            self.precision, torch.arange(self.channels),
            SymbolDequantizer('centers',
                              tuple(self.centers.detach().cpu().tolist())),
            (0, self.num_centers - 1))

    def coding_state(self):
        return [
            self.centers.detach(), self._quantized_cdf, self._cdf_length,
            self._offset
        ]


class EntropyBottleneckQuantizer(nn.Module):
    """CompressAI's :class:`EntropyBottleneck` (Ballé et al. 2018) behind the
    same interface: additive uniform noise in training, rounding around the
    medians at test, bits from the learned factorized density; its quantiles
    are trained by the auxiliary loss (:meth:`aux_loss`).

    Args:
        channels (int): Latent channels C.
        **kwargs: Passed to :class:`EntropyBottleneck`.
    """

    name = 'entropy-bottleneck'

    def __init__(self, channels, **kwargs):
        super().__init__()
        self.channels = channels
        self.entropy_bottleneck = use_safe_entropy_coder(
            EntropyBottleneck(channels, **kwargs))

    def forward(self, y):
        return self.entropy_bottleneck(y)

    def update(self, force=False):
        return self.entropy_bottleneck.update(force=force)

    def aux_loss(self):
        return self.entropy_bottleneck.loss()

    def compress(self, y):
        if self.entropy_bottleneck._offset.numel() == 0:
            raise RuntimeError(
                'coding tables are not built; call codec.update() first')
        return self.entropy_bottleneck.compress(y)

    def _medians(self, ndim):
        eb = self.entropy_bottleneck
        return eb._extend_ndims(eb._get_medians().detach(), ndim)

    def symbol_values(self, y):
        """int32 symbols ``round(y - medians)`` of ``y``, as :meth:`compress`
        codes them."""
        return self.entropy_bottleneck.quantize(y, 'symbols',
                                                self._medians(y.dim() - 2)).to(
                                                    torch.int32)

    def decode_symbols(self, strings, size):
        """int32 symbols ``(B, C, h, w)`` of rANS strings (see
        :func:`entropy_bottleneck_symbols`)."""
        return entropy_bottleneck_symbols(self.entropy_bottleneck, strings,
                                          size)

    def decompress(self, strings, size):
        """CompressAI's ``EntropyBottleneck.decompress`` through the bounded
        decoder: symbols plus medians."""
        medians = self._medians(len(size))
        return self.entropy_bottleneck.dequantize(
            self.decode_symbols(strings, size).float(), medians, medians.dtype)

    def symbol_coding(self):
        """The tables for tiled coding; symbols are ``round(y - medians)``."""
        eb = self.entropy_bottleneck
        if eb._offset.numel() == 0:
            raise RuntimeError(
                'coding tables are not built; call codec.update() first')
        return SymbolCoding(
            eb._quantized_cdf, eb._cdf_length, eb._offset,
            eb.entropy_coder_precision, torch.arange(self.channels),
            SymbolDequantizer(
                'offsets',
                tuple(eb._get_medians().detach().reshape(-1).cpu().tolist())))

    def coding_state(self):
        eb = self.entropy_bottleneck
        return [
            eb._get_medians().detach(), eb._quantized_cdf, eb._cdf_length,
            eb._offset
        ]


def build_quantizer(kind, channels, **kwargs):
    """Build a quantizer by name: ``'ste-centers'`` or
    ``'entropy-bottleneck'``."""
    kinds = {q.name: q for q in (CentersQuantizer, EntropyBottleneckQuantizer)}
    if kind not in kinds:
        raise ValueError(
            f'unknown quantizer {kind!r}; choose one of {sorted(kinds)}')
    return kinds[kind](channels, **kwargs)
