"""rANS coding of CompressAI's bitstreams, memory-safe in both directions.

Every codec encodes with :func:`rans_encode` and decodes through
:class:`BoundedRansDecoder`, never through CompressAI's ``RansEncoder`` (which
reserves one word per symbol and writes before its buffer when a stream needs
more: few symbols or many escapes) or ``RansDecoder`` (whose escape (bypass)
loops read an unbounded number of words past a forged payload).
:class:`SafeEntropyCoder` puts both behind CompressAI's
``EntropyModel.entropy_coder`` interface. The encoder writes CompressAI's bytes
exactly. The decoder (``csrc/rans_decode.c``) decodes exactly what CompressAI's
decoder returns for the streams CompressAI's encoder writes, and on any input:

* reads at most 12 words per symbol and never outside the payload (words past
  its end read as zero);
* refuses a payload that is not one complete stream: fewer than 8 bytes, not a
  whole number of 32-bit words, not ending in the encoder's initial state 2^31,
  or with bytes left over;
* refuses a latent that the payload cannot hold: every symbol costs at least
  ``min_bits`` = -log2(largest symbol probability of the tables) bits, and
  never less than :data:`MIN_SYMBOL_BITS` (1/128 bit: at most 1,024 symbols
  per byte, whatever the tables allow; the shipped photo codecs write at most
  18 per byte, flat images included), so a payload of ``n`` bytes holds at
  most ``(8 n + 64) / min_bits`` symbols (:meth:`max_symbols`); the check
  comes before any index array is built or anything decoded;
* keeps the table indexes of at most :data:`INDEX_CACHE_SIZES` latent sizes
  (a data loader sees few), so files declaring ever new sizes cannot grow
  memory.
"""
import math

import numpy as np
import torch

try:
    from cdi_mm.codecs import _rans_decode
# the extension is part of the package
except ImportError as exc:  # pragma: no cover
    raise ImportError(
        'cdi_mm.codecs._rans_decode (the bounded rANS decoder) is not '
        'built; install the package with `pip install -e .`') from exc

__all__ = [
    'BoundedRansDecoder', 'INDEX_CACHE_SIZES', 'MIN_SYMBOL_BITS',
    'RansStreamError', 'RANS_INITIAL_STATE', 'SafeEntropyCoder',
    'cheapest_symbol_bits', 'rans_encode', 'use_safe_entropy_coder'
]

#: The state CompressAI's Rans64 encoder starts from (and a complete stream
#: ends in).
RANS_INITIAL_STATE = 1 << 31
# search starts per CDF row (LOOKUP_BITS in csrc/rans_decode.c)
LOOKUP_BUCKETS = 256
#: The least a symbol is assumed to cost (bits) when bounding the symbols a
#: payload may declare: 1,024 symbols per byte at most.
MIN_SYMBOL_BITS = 1 / 128
#: Latent sizes whose table indexes a decoder keeps.
INDEX_CACHE_SIZES = 4


def cheapest_symbol_bits(cdf, lengths, precision):
    """Bits the cheapest symbol of quantized CDF tables costs, at least
    :data:`MIN_SYMBOL_BITS`: ``n`` bytes hold at most ``8 n / bits`` symbols
    (plus the final state).

    Args:
        cdf (np.ndarray): ``(rows, stride)`` int32 quantized CDFs.
        lengths (np.ndarray): Valid entries per row.
        precision (int): Probability precision in bits.
    """
    max_freq = 1
    for row, length in zip(cdf, lengths):
        if 2 <= length <= cdf.shape[1]:
            max_freq = max(max_freq, int(np.diff(row[:length]).max()))
    max_freq = min(max_freq, (1 << precision) - 1)
    return max(-math.log2(max_freq / (1 << precision)), MIN_SYMBOL_BITS)


class RansStreamError(ValueError):
    """A payload is not a complete rANS stream for these tables, or cannot hold
    the declared latent."""


class BoundedRansDecoder:
    """Decoding with one set of CompressAI coding tables (``_quantized_cdf``,
    ``_cdf_length``, ``_offset`` and the precision of an entropy model).

    Args:
        cdf (Tensor): ``(rows, stride)`` quantized CDFs, escape entry last.
        cdf_length (Tensor): Valid entries per row.
        offset (Tensor): Value of symbol 0 per row.
        precision (int): Probability precision in bits (CompressAI: 16).
    """

    def __init__(self, cdf, cdf_length, offset, precision):
        self.precision = int(precision)
        self.cdf = cdf.to(torch.int32).contiguous().numpy()
        self.lengths = cdf_length.to(torch.int32).contiguous().numpy()
        self.offsets = offset.to(torch.int32).contiguous().numpy()
        self.lookup = np.empty((len(self.lengths), LOOKUP_BUCKETS), np.int32)
        _rans_decode.build_lookup(self.cdf, self.cdf.shape[1], self.lengths,
                                  self.precision, self.lookup)
        self._indexes = {}
        self.min_bits = cheapest_symbol_bits(self.cdf, self.lengths,
                                             self.precision)

    @staticmethod
    def for_tables(owner, cdf, cdf_length, offset, precision):
        """The decoder cached on ``owner`` for the current state of the
        tables."""
        key = tuple(
            (t.data_ptr(), t._version) for t in (cdf, cdf_length, offset))
        key += (int(precision), )
        cached = getattr(owner, '_bounded_rans_decoder', None)
        if cached is None or cached[0] != key:
            cached = (key,
                      BoundedRansDecoder(cdf, cdf_length, offset, precision))
            owner._bounded_rans_decoder = cached
        return cached[1]

    def indexes(self, key, build, count, strings):
        """int32 table indexes of ``count`` symbols, cached under ``key``
        (``build()`` gives them as a tensor; for indexes that depend only on
        the latent size). Each payload in ``strings`` must be able to hold
        ``count`` symbols, checked before anything is built; the indexes of
        the last :data:`INDEX_CACHE_SIZES` keys are kept.

        Raises:
            RansStreamError: A payload too small for ``count`` symbols.
        """
        for string in strings:
            self.check_capacity(count, len(string))
        if key in self._indexes:
            self._indexes[key] = self._indexes.pop(key)  # most recent last
        else:
            while len(self._indexes) >= INDEX_CACHE_SIZES:
                self._indexes.pop(next(iter(self._indexes)))
            self._indexes[key] = build().reshape(-1).to(
                torch.int32).numpy().copy()
        return self._indexes[key]

    def max_symbols(self, num_bytes):
        """The most symbols a payload of ``num_bytes`` can hold with these
        tables."""
        return int((8 * num_bytes + 64) / self.min_bits)

    def check_capacity(self, count, num_bytes):
        """Raise :class:`RansStreamError` unless a ``num_bytes`` payload can
        hold ``count`` symbols."""
        if count > self.max_symbols(num_bytes):
            raise RansStreamError(
                f'a {num_bytes}-byte payload cannot hold {count} '
                'symbols with these tables (at most '
                f'{self.max_symbols(num_bytes)}: every symbol costs at '
                f'least {self.min_bits:.3g} bits)')

    def decode(self, string, indexes):
        """int32 values of one payload, one per index (a 1-D int32 array).

        Raises:
            RansStreamError: The payload cannot hold that many symbols, is not
                a complete stream, or announces an impossible escape.
        """
        string = bytes(string)
        indexes = np.ascontiguousarray(indexes, dtype=np.int32)
        if len(string) < 8 or len(string) % 4:
            raise RansStreamError(
                f'a rANS payload is a whole number of 32-bit words, at '
                f'least 2; got {len(string)} bytes')
        self.check_capacity(len(indexes), len(string))
        out = np.empty(len(indexes), dtype=np.int32)
        try:
            state, read = _rans_decode.decode(string, indexes, self.cdf,
                                              self.cdf.shape[1], self.lengths,
                                              self.offsets, self.precision,
                                              self.lookup, out)
        except ValueError as exc:
            raise RansStreamError(str(exc)) from exc
        if state != RANS_INITIAL_STATE or read != len(string):
            raise RansStreamError(
                'the payload is not one complete rANS stream: decoding '
                f'{len(indexes)} symbols read {min(read, len(string))} of its '
                f'{len(string)} bytes' +
                (f' and {read - len(string)} more' if read >
                 len(string) else '') +
                f' and ended in state {state:#x} instead of '
                f'{RANS_INITIAL_STATE:#x}')
        return torch.from_numpy(out)


def _int32(values):
    return np.ascontiguousarray(
        np.asarray(values, dtype=np.int64).astype(np.int32))


def rans_encode(values, indexes, cdf, cdf_length, offset, precision=16):
    """Encode int32 ``values`` with the table row ``indexes`` gives each
    (escapes for values outside a row's range), byte-identical to CompressAI's
    ``RansEncoder.encode_with_indexes`` and safe for any number of symbols and
    escapes.

    Raises:
        RansStreamError: Inconsistent tables, or a value too far outside its
            table.
    """
    values, indexes = _int32(values), _int32(indexes)
    cdf = np.ascontiguousarray(np.asarray(cdf, dtype=np.int32))
    try:
        return _rans_decode.encode(values, indexes, cdf, cdf.shape[1],
                                   _int32(cdf_length), _int32(offset),
                                   int(precision))
    except ValueError as exc:
        raise RansStreamError(str(exc)) from exc


class SafeEntropyCoder:
    """A drop-in for a CompressAI ``EntropyModel.entropy_coder``: encodes with
    :func:`rans_encode` and decodes with :class:`BoundedRansDecoder`
    (CompressAI passes the tables as lists on every call)."""

    name = 'ans'

    def encode_with_indexes(self, symbols, indexes, cdfs, cdf_lengths,
                            offsets):
        return rans_encode(symbols, indexes, cdfs, cdf_lengths, offsets)

    def decode_with_indexes(self, string, indexes, cdfs, cdf_lengths, offsets):
        decoder = BoundedRansDecoder(
            torch.tensor(cdfs), torch.tensor(cdf_lengths),
            torch.tensor(offsets), 16)
        return decoder.decode(string, _int32(indexes)).tolist()


def use_safe_entropy_coder(module):
    """Give every CompressAI entropy model inside ``module`` a
    :class:`SafeEntropyCoder`; returns ``module``."""
    from compressai.entropy_models import EntropyModel
    for child in module.modules():
        if isinstance(child, EntropyModel):
            child.entropy_coder = SafeEntropyCoder()
    return module
