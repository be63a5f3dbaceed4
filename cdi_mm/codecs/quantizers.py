"""Quantizers with real entropy coding for the torfason2018 codec.

Both quantizers share one interface so the codec does not care which is used:

* ``forward(y) -> (y_hat, likelihoods)``: ``y_hat`` is what the decoder and the task
  network see, ``-log2(likelihoods)`` the estimated bits of each latent element;
* ``compress(y) -> list[bytes]`` (one rANS string per image) and
  ``decompress(strings, size) -> y_hat``, bit-identical to ``forward`` in eval mode;
* ``update(force)`` rebuilds the coding tables; ``coding_state()`` lists the tensors
  that define the bitstream (hashed into the codec fingerprint).
"""
import array

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from compressai.ans import RansDecoder, RansEncoder
from compressai.entropy_models import EntropyBottleneck
from compressai.entropy_models.entropy_models import pmf_to_quantized_cdf

__all__ = ['CentersQuantizer', 'EntropyBottleneckQuantizer', 'build_quantizer',
           'SymbolRangeError']


class SymbolRangeError(ValueError):
    """A decoded symbol lies outside the quantizer's alphabet (corrupted payload)."""


try:  # cdi_mm's C decoder (built by setup.py); CompressAI's coder otherwise
    from cdi_mm.codecs import _rans_decode
except ImportError:
    _rans_decode = None

MAX_BYPASS_DECODE_BYTES = 1 << 28


def _zero_pad(string, readable):
    """``string`` followed by zeros up to ``readable`` bytes: what CompressAI's rANS
    decoder may read of it. Zero words end its bypass loops."""
    return string + bytes(max(0, readable - len(string)))


class _EscapeFreeDecoder:
    """rANS decoding of CompressAI's streams without the escape (bypass) path,
    memory-safe on forged strings.

    The escape interval decodes as the plain value ``cdf_length - 2 + offset`` instead of
    starting the bypass loops, which can read an unbounded number of words; every symbol
    reads at most one 32-bit word and words past the end of a string read as zero, so a
    forged string can never make the decoder read out of bounds. For a string without
    escapes the result equals CompressAI's ``RansDecoder.decode_with_indexes``.

    Two implementations with the same results (tested against each other): cdi_mm's C
    decoder (``csrc/rans_decode.c``), which reads the string and writes the symbols as
    buffers, and, where that extension is not built, CompressAI's decoder on tables with
    one more entry and a zero-padded copy of the string. CompressAI's pybind11 interface
    converts one Python int per symbol both ways, which dominated decoding time.
    """

    def __init__(self, cdf, cdf_length, offset, precision):
        self.precision = precision
        self.cdf = cdf.to(torch.int32).contiguous().numpy()
        self.lengths = cdf_length.to(torch.int32).contiguous().numpy()
        self.offsets = offset.to(torch.int32).contiguous().numpy()
        self._escape_values = torch.from_numpy(self.lengths - 2 + self.offsets)
        self._indexes, self._escapes = {}, {}
        self._compressai_tables = None

    @staticmethod
    def for_tables(owner, cdf, cdf_length, offset, precision):
        """The decoder cached on ``owner`` for the current state of the tables."""
        key = tuple((t.data_ptr(), t._version) for t in (cdf, cdf_length, offset))
        cached = getattr(owner, '_escape_free_decoder', None)
        if cached is None or cached[0] != key:
            cached = (key, _EscapeFreeDecoder(cdf, cdf_length, offset, precision))
            owner._escape_free_decoder = cached
        return cached[1]

    def indexes(self, size, build):
        """int32 table indexes for a latent of ``size`` (``build(size)`` gives them as a
        tensor), built once per size."""
        if size not in self._indexes:
            self._indexes[size] = build(size).reshape(-1).to(torch.int32).numpy().copy()
        return self._indexes[size]

    def escapes(self, size):
        """The value each symbol of a latent of ``size`` decodes to at an escape (after
        :meth:`indexes` for that size), built once per size."""
        if size not in self._escapes:
            indexes = torch.from_numpy(self._indexes[size]).long()
            self._escapes[size] = self._escape_values[indexes]
        return self._escapes[size]

    def decode(self, string, indexes, use_c=True):
        """int32 values of one string, one per index."""
        if use_c and _rans_decode is not None:
            out = np.empty(len(indexes), dtype=np.int32)
            _rans_decode.decode(bytes(string), indexes, self.cdf, self.cdf.shape[1],
                                self.lengths, self.offsets, self.precision, out)
            return torch.from_numpy(out)
        if self._compressai_tables is None:  # the tables with one more entry
            cdf = torch.from_numpy(self.cdf)
            rows = torch.cat([cdf, torch.zeros_like(cdf[:, :1])], 1)
            rows.scatter_(1, torch.from_numpy(self.lengths).long().view(-1, 1),
                          1 << self.precision)
            self._compressai_tables = rows.tolist(), (self.lengths + 1).tolist()
        values = RansDecoder().decode_with_indexes(
            _zero_pad(string, 8 + 4 * len(indexes)), indexes.tolist(),
            *self._compressai_tables, self.offsets.tolist())
        return torch.frombuffer(array.array('i', values), dtype=torch.int32)


class CentersQuantizer(nn.Module):
    """Scalar quantization to ``L`` learned centres (Agustsson et al. 2017, Mentzer et
    al. 2018), as used by Torfason et al. 2018.

    Forward: hard nearest centre; backward: the soft assignment
    ``softmax(-sigma * (y - c)^2)`` (straight-through). The per-channel symbol histogram
    of the batch gives the bit estimate; its gradient flows through the soft assignment.
    In training, an exponential moving average of the histogram is kept in ``counts``;
    :meth:`update` turns it into the per-channel rANS tables (``_quantized_cdf``,
    stored in the state dict) with CompressAI's escape symbol appended.

    Args:
        channels (int): Latent channels C.
        num_centers (int): L. Defaults to 6.
        sigma (float): Softness of the assignment. Defaults to 1.
        momentum (float): EMA momentum of the histogram. Defaults to 0.01.
        precision (int): rANS probability precision (bits). Defaults to 16.
    """

    name = 'ste-centers'

    def __init__(self, channels, num_centers=6, sigma=1.0, momentum=0.01, precision=16):
        super().__init__()
        if channels < 1 or num_centers < 2:
            raise ValueError(f'need channels >= 1 and num_centers >= 2, got {channels}, '
                             f'{num_centers}')
        self.channels = channels
        self.num_centers = num_centers
        self.sigma = sigma
        self.momentum = momentum
        self.precision = precision
        self.centers = nn.Parameter(torch.empty(num_centers).uniform_(-2, 2))
        self.register_buffer('counts', torch.full((channels, num_centers), 1.0 / num_centers))
        self.register_buffer('_quantized_cdf',
                             torch.zeros(channels, num_centers + 2, dtype=torch.int32))
        self.register_buffer('_cdf_length', torch.zeros(channels, dtype=torch.int32))
        self.register_buffer('_offset', torch.zeros(channels, dtype=torch.int32))

    def symbols(self, y):
        """Index of the nearest centre for each element of ``y`` (B, C, H, W)."""
        return ((y.unsqueeze(-1) - self.centers) ** 2).argmin(-1)

    def forward(self, y):
        dist = (y.unsqueeze(-1) - self.centers) ** 2
        soft = F.softmax(-self.sigma * dist, dim=-1)
        symbols = dist.argmin(-1)
        hard = F.one_hot(symbols, self.num_centers).to(y.dtype)
        y_soft = (soft * self.centers).sum(-1)
        # exactly the hard centre in value (x - x == 0), the soft gradient
        y_hat = self.centers[symbols].detach() + (y_soft - y_soft.detach())
        # per-channel histogram: value of the hard one, gradient of the soft one
        p_soft = soft.mean(dim=(0, 2, 3))
        p_hard = hard.mean(dim=(0, 2, 3))
        pmf = p_hard + (p_soft - p_soft.detach())
        if self.training:
            with torch.no_grad():
                self.counts.lerp_(p_hard, self.momentum)
        likelihoods = pmf.gather(1, symbols.permute(1, 0, 2, 3).reshape(self.channels, -1))
        likelihoods = likelihoods.reshape(self.channels, y.shape[0], *y.shape[2:])
        return y_hat, likelihoods.permute(1, 0, 2, 3).clamp_min(1e-9)

    def update(self, force=False):
        """Build the rANS tables from the histogram. Returns True if updated."""
        if self._cdf_length.any() and not force:
            return False
        pmf = self.counts.double().clamp_min(0)
        pmf = pmf / pmf.sum(1, keepdim=True)
        tail = torch.full((self.channels, 1), 2.0 ** -self.precision, dtype=pmf.dtype)
        for c in range(self.channels):
            cdf = pmf_to_quantized_cdf(torch.cat([pmf[c] * (1 - tail[c]), tail[c]]).float(),
                                       self.precision)
            self._quantized_cdf[c, :cdf.numel()] = cdf
        self._cdf_length.fill_(self.num_centers + 2)
        self._offset.zero_()
        return True

    def _check_tables(self):
        if not self._cdf_length.any():
            raise RuntimeError('coding tables are not built; call codec.update() first')

    def _indexes(self, batch, size):
        return torch.arange(self.channels, dtype=torch.int32).view(1, -1, 1, 1).expand(
            batch, self.channels, *size)

    def compress(self, y):
        self._check_tables()
        symbols = self.symbols(y).to(torch.int32).cpu()
        indexes = self._indexes(y.shape[0], y.shape[2:])
        encoder, cdfs = RansEncoder(), self._quantized_cdf.tolist()
        lengths, offsets = self._cdf_length.tolist(), self._offset.tolist()
        return [encoder.encode_with_indexes(symbols[i].reshape(-1).tolist(),
                                            indexes[i].reshape(-1).tolist(), cdfs, lengths,
                                            offsets)
                for i in range(y.shape[0])]

    def decompress(self, strings, size):
        """Decode rANS strings (memory-safe on forged input, see
        :class:`_EscapeFreeDecoder`); an escape is a symbol outside the alphabet."""
        self._check_tables()
        decoder = _EscapeFreeDecoder.for_tables(self, self._quantized_cdf, self._cdf_length,
                                                self._offset, self.precision)
        indexes = decoder.indexes(tuple(size), lambda hw: self._indexes(1, hw))
        symbols = torch.stack([decoder.decode(s, indexes) for s in strings]).long()
        if symbols.numel() and (symbols.min() < 0 or symbols.max() >= self.num_centers):
            raise SymbolRangeError('decoded symbol outside the alphabet of '
                                   f'{self.num_centers} centres')
        centers = self.centers.detach().cpu()
        # index_select: ~100x faster than advanced indexing for a 1-D table
        return centers.index_select(0, symbols.reshape(-1)).reshape(len(strings),
                                                                    self.channels, *size)

    def coding_state(self):
        return [self.centers.detach(), self._quantized_cdf, self._cdf_length, self._offset]


class EntropyBottleneckQuantizer(nn.Module):
    """CompressAI's :class:`EntropyBottleneck` (Ballé et al. 2018) behind the same
    interface: additive uniform noise in training, rounding around the medians at test,
    bits from the learned factorized density; its quantiles are trained by the
    auxiliary loss (:meth:`aux_loss`).

    Args:
        channels (int): Latent channels C.
        **kwargs: Passed to :class:`EntropyBottleneck`.
    """

    name = 'entropy-bottleneck'

    def __init__(self, channels, **kwargs):
        super().__init__()
        self.channels = channels
        self.entropy_bottleneck = EntropyBottleneck(channels, **kwargs)

    def forward(self, y):
        return self.entropy_bottleneck(y)

    def update(self, force=False):
        return self.entropy_bottleneck.update(force=force)

    def aux_loss(self):
        return self.entropy_bottleneck.loss()

    def compress(self, y):
        if self.entropy_bottleneck._offset.numel() == 0:
            raise RuntimeError('coding tables are not built; call codec.update() first')
        return self.entropy_bottleneck.compress(y)

    def decompress(self, strings, size):
        """CompressAI's decoding, memory-safe on forged input: a first pass without
        escapes (:class:`_EscapeFreeDecoder`) is exact for every string that has
        none; a string with escapes is decoded again with bypass coding, zero-padded so
        that even a forged one stays inside its buffer (at most 16 bytes per payload byte
        plus 160 bytes per symbol: the bypass loops read 4 bits per step and zero words
        end them)."""
        eb = self.entropy_bottleneck
        cdf, lengths, offsets = eb._quantized_cdf, eb._cdf_length, eb._offset
        decoder = _EscapeFreeDecoder.for_tables(self, cdf, lengths, offsets,
                                                eb.entropy_coder_precision)
        indexes = decoder.indexes(tuple(size), lambda hw: eb._build_indexes(
            (1, self.channels, *hw)).int())
        escape_value = decoder.escapes(tuple(size))
        values = []
        for s in strings:
            v = decoder.decode(s, indexes)
            if (v == escape_value).any():
                readable = 8 + 16 * len(s) + 160 * len(indexes)
                if readable > MAX_BYPASS_DECODE_BYTES:
                    raise SymbolRangeError(f'escape-coded latent of {len(indexes)} '
                                           'symbols is too large to decode safely')
                v = torch.tensor(RansDecoder().decode_with_indexes(
                    _zero_pad(s, readable), indexes.tolist(), cdf.tolist(), lengths.tolist(),
                    offsets.tolist()), dtype=torch.int32)
            values.append(v)
        symbols = torch.stack(values).reshape(len(strings), self.channels, *size)
        medians = eb._extend_ndims(eb._get_medians().detach(), len(size))
        return eb.dequantize(symbols.float(), medians, medians.dtype)

    def coding_state(self):
        eb = self.entropy_bottleneck
        return [eb._get_medians().detach(), eb._quantized_cdf, eb._cdf_length, eb._offset]


def build_quantizer(kind, channels, **kwargs):
    """Build a quantizer by name: ``'ste-centers'`` or ``'entropy-bottleneck'``."""
    kinds = {q.name: q for q in (CentersQuantizer, EntropyBottleneckQuantizer)}
    if kind not in kinds:
        raise ValueError(f'unknown quantizer {kind!r}; choose one of {sorted(kinds)}')
    return kinds[kind](channels, **kwargs)
