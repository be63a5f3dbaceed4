"""Coding images with a codec (see
:class:`~cdi_mm.codecs.interface.LatentCodec`) to and from ``.cdi`` bytes, and
the codec-level facts the container records: the latent shape for an image
size, the padding to the codec's stride and the codec fingerprint.

Codecs with one coding table per channel write version 2 (tiled,
:mod:`cdi_mm.codecs.tiled`) by default; :func:`decode_symbols` reads a window
of a file's latent as int16 symbols, decoding only the tiles it covers, and
:func:`transcode_to_v2` re-codes a version-1 file from its symbols alone."""
import hashlib
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .bitstream import (BitstreamError, CdiRecord, check_record_limits, pack,
                        unpack)
from .tiled import PAD_SYMBOL, TiledStreamError, tiled_coder

#: Largest image (pixels) :func:`decompress_image` reconstructs: the synthesis
#: transform needs about 300 bytes per pixel (16.7 Mpx: about 5 GB).
MAX_RECONSTRUCT_PIXELS = 1 << 24
#: Largest image (pixels) :func:`compress_images` encodes: the analysis
#: transform needs about 300 bytes per pixel too.
MAX_ENCODE_PIXELS = 1 << 24

__all__ = [
    'MAX_ENCODE_PIXELS', 'MAX_RECONSTRUCT_PIXELS', 'DecodedImage',
    'codec_fingerprint', 'compress_images', 'decode_symbols',
    'decompress_image', 'latent_shape', 'pad_to_stride', 'read_record',
    'record_symbols', 'transcode_to_v2'
]


@dataclass
class DecodedImage:
    """Result of :func:`decompress_image`: the exact quantized latent ``(C, h,
    w)``, the original image size and, when asked for, the reconstruction ``(3,
    H, W)`` in [0, 1]."""
    latent: torch.Tensor
    image_size: tuple
    image: torch.Tensor = None


def pad_to_stride(x, stride):
    """Replicate-pad ``x`` (B, 3, H, W) on the bottom/right to multiples of
    ``stride`` (a codec's ``pad_multiple``)."""
    h, w = x.shape[-2:]
    ph, pw = math.ceil(h / stride) * stride - h, math.ceil(
        w / stride) * stride - w
    return F.pad(x, (0, pw, 0, ph), mode='replicate') if ph or pw else x


def latent_shape(codec, height, width):
    """``(C, h, w)`` of the latent ``codec`` gives an image of ``height x
    width``."""
    pad = codec.pad_multiple
    return (codec.latent_channels,
            math.ceil(height / pad) * pad // codec.stride,
            math.ceil(width / pad) * pad // codec.stride)


def codec_fingerprint(codec):
    """``arch:cC:quantizer:hash`` where the hash covers the tensors defining
    the bitstream.

    Two codecs share a fingerprint only if their bitstreams are
    interchangeable.
    """
    digest = hashlib.sha256()
    for tensor in codec.coding_state():
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return (f'{codec.arch}:c{codec.latent_channels}:{codec.quantizer_name}:'
            f'{digest.hexdigest()[:16]}')


def _tiled_record(coder, fingerprint, symbols, image_size, tile_side):
    """The version-2 record of one latent's int32 ``symbols`` (C, h, w)."""
    try:
        if tile_side == 'auto':
            tile_side, blob = coder.encode_auto(symbols)
        else:
            blob = coder.encode(symbols, tile_side)
    except TiledStreamError as exc:
        raise BitstreamError(f'latent does not code: {exc}') from exc
    return CdiRecord(fingerprint, tuple(symbols.shape), tuple(image_size),
                     [blob], int(tile_side))


def _check_tile_side(tile_side):
    if tile_side not in (None, 'auto') and not (isinstance(tile_side, int)
                                                and 0 < tile_side <= 0xFFFF):
        raise ValueError(
            f"tile_side must be 'auto', None (version 1) or a side in "
            f'1..65535, got {tile_side!r}')


@torch.no_grad()
def compress_images(codec, images, tile_side='auto'):
    """Encode a batch of same-size images into ``.cdi`` bytes, one per image.

    Args:
        codec: A cdi_mm codec (``torfason2018`` or a zoo adapter) in eval mode
            with built coding tables.
        images (Tensor): ``(B, 3, H, W)`` float RGB in [0, 1].
        tile_side (str | int | None): ``'auto'`` (default): version 2, tiles
            of the smallest side within
            :data:`~cdi_mm.codecs.tiled.TILE_OVERHEAD` of one stream; an int:
            version 2 with that side; None: version 1. Codecs without
            per-channel tables (hyperprior zoo codecs) always write version 1.

    Returns:
        list[bytes]
    """
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(
            f'expected images of shape (B, 3, H, W), got {tuple(images.shape)}'
        )
    _check_tile_side(tile_side)
    height, width = images.shape[-2:]
    if height * width > MAX_ENCODE_PIXELS:
        raise BitstreamError(
            f'encoding a {width}x{height} image is over MAX_ENCODE_PIXELS='
            f'{MAX_ENCODE_PIXELS} (the analysis transform needs about 300 '
            'bytes per pixel); downscale it (compress_dataset --size) or '
            'raise cdi_mm.codecs.coding.MAX_ENCODE_PIXELS')
    shape = latent_shape(codec, height, width)
    coder = tiled_coder(codec) if tile_side is not None else None
    # refuse before encoding what the writer would refuse after it
    check_record_limits(
        CdiRecord('', shape, (height, width),
                  [b''] * (1 if coder else getattr(codec, 'num_streams', 1)),
                  (8 if tile_side == 'auto' else tile_side) if coder else 0))
    padded = pad_to_stride(images, codec.pad_multiple)
    fingerprint = codec_fingerprint(codec)
    if coder is not None:
        symbols = codec.latent_symbols(padded).cpu().numpy()
        return [
            pack(
                _tiled_record(coder, fingerprint, s, (height, width),
                              tile_side)) for s in symbols
        ]
    out = codec.compress(padded)
    return [
        pack(
            CdiRecord(fingerprint, shape, (height, width),
                      [stream[i] for stream in out['strings']]))
        for i in range(images.shape[0])
    ]


def read_record(codec, data, fingerprint=None):
    """Parse ``.cdi`` bytes of ``codec`` and check the latent shape and the
    streams against it.

    Raises:
        BitstreamError: See :func:`~cdi_mm.codecs.bitstream.unpack`; also a
            latent shape or stream count that does not fit the codec.
    """
    record = unpack(
        data, expected_fingerprint=fingerprint or codec_fingerprint(codec))
    expected = latent_shape(codec, *record.image_size)
    if record.latent_shape != expected:
        raise BitstreamError(
            f'latent shape {record.latent_shape} does not fit image size '
            f'{record.image_size} for this codec (expected {expected})')
    num_streams = 1 if record.tile_side else getattr(codec, 'num_streams', 1)
    if len(record.strings) != num_streams:
        raise BitstreamError(
            f'{len(record.strings)} streams in the file, but this codec '
            f'writes {num_streams}')
    return record


def _coder_for(codec, record, coder=None):
    coder = coder or tiled_coder(codec)
    if coder is None:
        raise BitstreamError(
            f'a version-2 (tiled) file, but codec {codec.arch} has no '
            'per-channel coding tables to decode tiles with')
    return coder


def _v1_symbols(codec, record):
    _, h, w = record.latent_shape
    try:
        return codec.decode_symbols([[s] for s in record.strings],
                                    (h, w))[0].numpy()
    except (ValueError, RuntimeError) as exc:
        raise BitstreamError(f'payload does not decode: {exc}') from exc


def decode_symbols(codec,
                   data,
                   window=None,
                   flip=False,
                   out_hw=None,
                   fingerprint=None,
                   coder=None):
    """A window of a file's latent as int16 symbols, without a float
    operation: for version 2 only the tiles the window covers are decoded.

    Args:
        codec: The codec that wrote ``data`` (with ``symbol_coding``).
        data (bytes): ``.cdi`` file contents.
        window (tuple, optional): ``(y0, x0, wh, ww)`` in latent positions,
            inside the latent; the whole latent when None.
        flip (bool): Flip the window horizontally.
        out_hw (tuple, optional): Output size, at least the window's; the
            rest holds :data:`~cdi_mm.codecs.tiled.PAD_SYMBOL`.
        fingerprint (str, optional): The codec's fingerprint, if known.
        coder (TiledCoder, optional): The codec's coder, if known.

    Returns:
        tuple: ``(symbols (C, out_h, out_w) int16, record)``; the codec's
        ``symbol_coding().dequantizer`` maps the symbols to latent values.

    Raises:
        BitstreamError: As :func:`decompress_image`.
    """
    record = read_record(codec, data, fingerprint)
    return record_symbols(codec, record, window, flip, out_hw, coder), record


def record_symbols(codec,
                   record,
                   window=None,
                   flip=False,
                   out_hw=None,
                   coder=None):
    """:func:`decode_symbols` of a record :func:`read_record` returned."""
    coder = _coder_for(codec, record, coder)
    c, h, w = record.latent_shape
    y0, x0, wh, ww = window or (0, 0, h, w)
    if record.tile_side:
        try:
            return coder.decode(record.strings[0], record.latent_shape,
                                record.tile_side, (y0, x0, wh, ww), flip,
                                out_hw)
        except TiledStreamError as exc:
            raise BitstreamError(f'payload does not decode: {exc}') from exc
    crop = _v1_symbols(codec, record)[:, y0:y0 + wh, x0:x0 + ww]
    lo, hi = coder.value_range
    if crop.size and (crop.min() < lo or crop.max() > hi):
        raise BitstreamError(
            f'payload decodes to values outside the symbol range [{lo}, {hi}]')
    out_h, out_w = out_hw or (wh, ww)
    out = np.full((c, out_h, out_w), PAD_SYMBOL, np.int16)
    out[:, :wh, :ww] = crop
    return np.ascontiguousarray(out[:, :, ::-1]) if flip else out


def transcode_to_v2(codec, data, tile_side='auto', fingerprint=None):
    """Re-code ``.cdi`` bytes as version 2 from their symbols alone (no
    image, no analysis transform); the latent comes out identical (checked).
    Version-2 input is returned unchanged.

    Raises:
        BitstreamError: ``data`` does not decode, or ``codec`` has no
            per-channel tables.
    """
    _check_tile_side(tile_side)
    if tile_side is None:
        raise ValueError('transcode_to_v2 writes version 2: give a tile side '
                         "or 'auto'")
    record = read_record(codec, data, fingerprint)
    if record.tile_side:
        return bytes(data)
    coder = _coder_for(codec, record)
    symbols = _v1_symbols(codec, record)
    out = pack(
        _tiled_record(coder, record.fingerprint, symbols, record.image_size,
                      tile_side))
    if not np.array_equal(
            decode_symbols(codec, out, fingerprint=record.fingerprint)[0],
            symbols.astype(np.int16)):
        raise BitstreamError('the version-2 latent differs from the '
                             'version-1 latent')  # pragma: no cover
    return out


@torch.no_grad()
def decompress_image(codec, data, reconstruct=False, fingerprint=None):
    """Decode ``.cdi`` bytes with ``codec``: entropy decoding only, unless
    ``reconstruct`` asks for the synthesis transform too.

    ``fingerprint`` is the codec's :func:`codec_fingerprint` when the caller
    already holds it (a frozen codec decoding many files); it is computed
    otherwise.

    Raises:
        BitstreamError: See :func:`unpack`; also when the latent shape does not
            fit the image size, the payload decodes to symbols outside the
            alphabet, or ``reconstruct`` asks for an image over
            :data:`MAX_RECONSTRUCT_PIXELS` (checked before decoding).
    """
    record = read_record(codec, data, fingerprint)
    _, h, w = record.latent_shape
    height, width = record.image_size
    if reconstruct and height * width > MAX_RECONSTRUCT_PIXELS:
        raise BitstreamError(
            f'reconstructing a {width}x{height} image is over '
            f'MAX_RECONSTRUCT_PIXELS={MAX_RECONSTRUCT_PIXELS} (the '
            'synthesis transform needs about 300 bytes per pixel); read '
            'its latent without reconstructing, or raise '
            'cdi_mm.codecs.coding.MAX_RECONSTRUCT_PIXELS')
    if record.tile_side:
        coder = _coder_for(codec, record)
        symbols = record_symbols(codec, record, coder=coder)
        latent = coder.dequantizer(
            torch.from_numpy(symbols), padded=False)[None]
    else:
        strings = [[s] for s in record.strings]
        try:
            latent = codec.decompress_latent(strings, (h, w))
        except (ValueError, RuntimeError) as exc:
            raise BitstreamError(f'payload does not decode: {exc}') from exc
    image = None
    if reconstruct:
        image = codec.synthesis(latent)[0, :, :height, :width]
    return DecodedImage(latent[0], (height, width), image)
