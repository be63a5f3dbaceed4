"""Tiled rANS coding of a latent's integer symbols (``.cdi`` version 2).

A codec whose latent is coded with one fixed table per channel (a factorized
prior: cdi_mm's ``ste-centers`` and ``entropy-bottleneck`` quantizers) offers
:class:`SymbolCoding`: its coding tables, the channel-to-row map and the
:class:`SymbolDequantizer` that maps integer symbols to latent values. The
latent is cut into tiles of ``T x T`` positions (all channels), each its own
bounded rANS stream (``csrc/tiled_rans.c``), so a reader decodes only the tiles
a crop covers and gets int16 symbols, cropped and flipped, without a float
operation; the model's data preprocessor dequantizes them, batched, on its
device. Hyperprior codecs, whose tables depend on a decoded side stream, are
not tiled (their files stay version 1).
"""
import functools
from dataclasses import dataclass

import numpy as np
import torch

from .rans import cheapest_symbol_bits

try:
    from cdi_mm.codecs import _tiled_rans
# the extension is part of the package
except ImportError as exc:  # pragma: no cover
    raise ImportError(
        'cdi_mm.codecs._tiled_rans (the tiled rANS coder) is not built; '
        'install the package with `pip install -e .`') from exc

__all__ = [
    'PAD_SYMBOL', 'SymbolCoding', 'SymbolDequantizer', 'TILE_SIDES',
    'TILE_OVERHEAD', 'TiledCoder', 'TiledStreamError', 'tiled_coder'
]

#: Symbol of the positions a crop adds past the latent's edge (latent value 0).
PAD_SYMBOL = -32768
#: Tile sides the writer tries, smallest first.
TILE_SIDES = (8, 12, 16, 24, 32, 48, 64)
#: The writer takes the smallest tile side whose streams are at most this much
#: larger than one stream for the whole latent (which is itself a little
#: smaller than a version-1 stream: a 4-byte final state instead of 8, no
#: padding to 32-bit words).
TILE_OVERHEAD = 0.03


class TiledStreamError(ValueError):
    """A version-2 payload does not decode: a damaged tile table, an
    incomplete tile stream, or tiles too short for their symbols."""


@functools.lru_cache(maxsize=64)
def _table(values, device):
    return torch.tensor(values, dtype=torch.float32, device=device)


@dataclass(frozen=True)
class SymbolDequantizer:
    """Maps a latent's integer symbols to its values: ``centers[symbol]``
    (``kind='centers'``: the ste-centers quantizer) or ``symbol + offsets[c]``
    (``kind='offsets'``: an entropy bottleneck's medians). :data:`PAD_SYMBOL`
    maps to 0. Small and picklable: it travels with each sample.

    Args:
        kind (str): ``'centers'`` or ``'offsets'``.
        values (tuple[float]): The centres, or one offset per channel.
    """

    kind: str
    values: tuple

    def __call__(self, symbols, padded=True):
        """``(B, C, h, w)`` (or ``(C, h, w)``) integer symbols -> float32
        latent on the symbols' device (``padded=False``: the caller knows no
        symbol is :data:`PAD_SYMBOL`, e.g. a whole decoded latent)."""
        table = _table(self.values, symbols.device)
        if self.kind == 'centers':
            index = symbols.long()
            if padded:  # keeps the padding's index inside the table
                index = index.clamp(0, len(self.values) - 1)
            latent = table.index_select(0, index.reshape(-1)).reshape(
                symbols.shape)
        elif self.kind == 'offsets':
            shape = (-1, 1, 1) if symbols.dim() == 3 else (1, -1, 1, 1)
            latent = symbols.to(torch.float32) + table.view(shape)
        else:
            raise ValueError(f'unknown symbol dequantizer kind {self.kind!r}')
        return latent.masked_fill(symbols == PAD_SYMBOL,
                                  0.0) if padded else latent


@dataclass
class SymbolCoding:
    """What a codec offers for tiled coding.

    Args:
        cdf (Tensor): ``(rows, stride)`` CompressAI quantized CDFs.
        cdf_length (Tensor): Valid entries per row.
        offset (Tensor): Value of symbol 0 per row.
        precision (int): Probability precision in bits.
        rows (Tensor): CDF row of each latent channel.
        dequantizer (SymbolDequantizer): Symbols -> latent values.
        value_range (tuple[int, int]): The symbols a latent may hold; a
            decoded value outside is refused.
    """

    cdf: torch.Tensor
    cdf_length: torch.Tensor
    offset: torch.Tensor
    precision: int
    rows: torch.Tensor
    dequantizer: SymbolDequantizer
    value_range: tuple = (PAD_SYMBOL + 1, 32767)


def _int32(tensor):
    return np.ascontiguousarray(
        torch.as_tensor(tensor).to(torch.int32).cpu().numpy())


class TiledCoder:
    """Encoder and bounded, crop-aware decoder for one state of a codec's
    coding tables (built once: checks the tables and fills the slot table).

    Args:
        coding (SymbolCoding): The codec's tables.

    Raises:
        TiledStreamError: The tables are not valid quantized CDFs.
    """

    def __init__(self, coding):
        self.cdf = _int32(coding.cdf)
        self.lengths = _int32(coding.cdf_length)
        self.offsets = _int32(coding.offset)
        self.rows = _int32(coding.rows)
        self.precision = int(coding.precision)
        self.dequantizer = coding.dequantizer
        self.value_range = tuple(int(v) for v in coding.value_range)
        self.channels = len(self.rows)
        # one row of padding: the SIMD decoder reads 4 bytes per 2-byte entry
        self.slots = np.zeros((len(self.lengths) + 1, 4096), np.uint16)
        self.packed = np.empty(self.cdf.shape, np.uint32)
        self.buckets = np.empty((len(self.lengths), 4096), np.uint32)
        try:
            _tiled_rans.build_tables(self.cdf, self.cdf.shape[1], self.lengths,
                                     self.precision, self.slots, self.packed,
                                     self.buckets)
        except ValueError as exc:
            raise TiledStreamError(str(exc)) from exc
        #: bits the cheapest symbol costs: bounds the symbols per byte
        self.min_bits = cheapest_symbol_bits(self.cdf, self.lengths,
                                             self.precision)

    def encode(self, values, tile_side):
        """The version-2 blob (tile table, then the tiles' streams) of int32
        ``values`` ``(C, h, w)`` in tiles of ``tile_side``.

        Raises:
            TiledStreamError: A value too far outside its table.
        """
        values = np.ascontiguousarray(np.asarray(values, dtype=np.int32))
        c, h, w = values.shape
        try:
            return _tiled_rans.encode_tiles(values, c, h, w, int(tile_side),
                                            self.rows, self.cdf,
                                            self.cdf.shape[1], self.lengths,
                                            self.offsets, self.precision)
        except ValueError as exc:
            raise TiledStreamError(str(exc)) from exc

    def encode_auto(self, values):
        """``(tile_side, blob)``: the smallest side of :data:`TILE_SIDES`
        whose blob is within :data:`TILE_OVERHEAD` of one whole-latent
        tile's, else one tile for the whole latent."""
        whole_side = max(values.shape[1:])
        whole = self.encode(values, whole_side)
        for side in TILE_SIDES:
            if side >= whole_side:
                break
            blob = self.encode(values, side)
            if len(blob) <= (1 + TILE_OVERHEAD) * len(whole):
                return side, blob
        return whole_side, whole

    def decode(self,
               blob,
               latent_shape,
               tile_side,
               window=None,
               flip=False,
               out_hw=None):
        """int16 symbols of a window of the latent, decoding only the tiles
        it covers.

        Args:
            blob (bytes): The version-2 payload.
            latent_shape (tuple): ``(C, h, w)``.
            tile_side (int): From the header.
            window (tuple, optional): ``(y0, x0, wh, ww)`` in latent
                positions; the whole latent when None.
            flip (bool): Flip the window horizontally.
            out_hw (tuple, optional): Output size, at least the window's;
                positions past the window hold :data:`PAD_SYMBOL` (on the
                right, or on the left when flipped).

        Returns:
            np.ndarray: ``(C, out_h, out_w)`` int16.

        Raises:
            TiledStreamError: The payload does not decode.
        """
        c, h, w = latent_shape
        if c != self.channels:
            raise TiledStreamError(
                f'latent has {c} channels, these tables code {self.channels}')
        y0, x0, wh, ww = window or (0, 0, h, w)
        out_h, out_w = out_hw or (wh, ww)
        if wh < out_h or ww < out_w:
            out = np.full((c, out_h, out_w), PAD_SYMBOL, np.int16)
        else:
            out = np.empty((c, out_h, out_w), np.int16)
        try:
            _tiled_rans.decode_tiles(blob, c, h, w, int(tile_side), self.rows,
                                     self.cdf, self.cdf.shape[1], self.lengths,
                                     self.offsets, self.precision, self.slots,
                                     self.packed, self.buckets, self.min_bits,
                                     *self.value_range, y0, x0, wh, ww,
                                     bool(flip), out, out_h, out_w)
        except ValueError as exc:
            raise TiledStreamError(str(exc)) from exc
        return out


def tiled_coder(codec):
    """The :class:`TiledCoder` of ``codec``'s current coding tables (cached on
    the codec), or None when the codec has no per-channel tables
    (``symbol_coding`` missing or None)."""
    coding_fn = getattr(codec, 'symbol_coding', None)
    if coding_fn is None:
        return None
    # the tensors that define the bitstream, as they are now
    key = tuple((t.data_ptr(), t._version) for t in codec.coding_state())
    cached = getattr(codec, '_tiled_coder', None)
    if cached is None or cached[0] != key:
        coding = coding_fn()
        cached = (key, TiledCoder(coding) if coding is not None else None)
        codec._tiled_coder = cached
    return cached[1]
