"""The ``.cdi`` container: one compressed image per file, self-describing and checked.

Layout (little endian)::

    magic      4 bytes  b'CDIM'
    version    u8       FORMAT_VERSION
    fp_len     u8       length of the codec fingerprint
    fingerprint         ASCII, e.g. 'torfason2018:c32:ste-centers:1a2b3c4d5e6f7a8b'
    latent     3 x u16  C, h, w of the quantized latent
    image      2 x u32  original image height, width (before padding to the stride)
    n_strings  u8       number of entropy-coded streams
    n_strings x (u32 length, bytes)
    crc32      u32      CRC32 of everything before it

Reading anything malformed raises :class:`BitstreamError` with a message naming the
problem; header fields are bounds-checked before anything is allocated.
"""
import hashlib
import math
import struct
import zlib
from dataclasses import dataclass

import torch
import torch.nn.functional as F

__all__ = ['BitstreamError', 'CdiRecord', 'DecodedImage', 'MAGIC', 'FORMAT_VERSION',
           'check_record_limits', 'pack', 'unpack', 'codec_fingerprint', 'latent_shape', 'compress_images',
           'decompress_image',
           'pad_to_stride']

MAGIC = b'CDIM'
FORMAT_VERSION = 1
MAX_LATENT_SIDE = 8192
# decompression-bomb guard, as Pillow's MAX_IMAGE_PIXELS: a few header bytes must not
# make the reader allocate gigabytes (raise it to read larger latents)
MAX_LATENT_ELEMENTS = 1 << 24
MAX_STRINGS = 8


class BitstreamError(ValueError):
    """A ``.cdi`` file is empty, truncated, corrupted, of another format version, or was
    made by a different codec."""


@dataclass
class CdiRecord:
    """The parsed fields of a ``.cdi`` file."""
    fingerprint: str
    latent_shape: tuple
    image_size: tuple
    strings: list


@dataclass
class DecodedImage:
    """Result of :func:`decompress_image`: the exact quantized latent ``(C, h, w)``, the
    original image size and, when asked for, the reconstruction ``(3, H, W)`` in [0, 1]."""
    latent: torch.Tensor
    image_size: tuple
    image: torch.Tensor = None


def pad_to_stride(x, stride):
    """Replicate-pad ``x`` (B, 3, H, W) on the bottom/right to multiples of ``stride``
    (a codec's ``pad_multiple``)."""
    h, w = x.shape[-2:]
    ph, pw = math.ceil(h / stride) * stride - h, math.ceil(w / stride) * stride - w
    return F.pad(x, (0, pw, 0, ph), mode='replicate') if ph or pw else x


def latent_shape(codec, height, width):
    """``(C, h, w)`` of the latent ``codec`` gives an image of ``height x width``."""
    pad = codec.pad_multiple
    return (codec.latent_channels, math.ceil(height / pad) * pad // codec.stride,
            math.ceil(width / pad) * pad // codec.stride)


def codec_fingerprint(codec):
    """``arch:cC:quantizer:hash`` where the hash covers the tensors defining the bitstream.

    Two codecs share a fingerprint only if their bitstreams are interchangeable.
    """
    digest = hashlib.sha256()
    for tensor in codec.coding_state():
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return (f'{codec.arch}:c{codec.latent_channels}:{codec.quantizer_name}:'
            f'{digest.hexdigest()[:16]}')


def check_record_limits(record):
    """Refuse a record the reader would refuse (or that the header cannot hold).

    Raises:
        BitstreamError: Naming the limit and how to raise it where that is possible.
    """
    c, h, w = record.latent_shape
    height, width = record.image_size
    if not (0 < c <= 0xFFFF and 0 < h <= MAX_LATENT_SIDE and 0 < w <= MAX_LATENT_SIDE):
        raise BitstreamError(f'latent {(c, h, w)} exceeds the .cdi limits (C <= 65535, '
                             f'sides <= MAX_LATENT_SIDE={MAX_LATENT_SIDE}); downscale the '
                             'image')
    if c * h * w > MAX_LATENT_ELEMENTS:
        raise BitstreamError(f'latent {(c, h, w)} has more than MAX_LATENT_ELEMENTS='
                             f'{MAX_LATENT_ELEMENTS} elements, so readers would refuse the '
                             'file; downscale the image or raise '
                             'cdi_mm.codecs.bitstream.MAX_LATENT_ELEMENTS for writer and '
                             'readers alike')
    if not (0 < height < 1 << 32 and 0 < width < 1 << 32):
        raise BitstreamError(f'image size {record.image_size} does not fit the header')
    if not 0 < len(record.strings) <= MAX_STRINGS:
        raise BitstreamError(f'{len(record.strings)} streams; a .cdi file holds 1 to '
                             f'{MAX_STRINGS}')
    if any(len(s) >= 1 << 32 for s in record.strings):
        raise BitstreamError('a stream of 4 GiB or more does not fit the header')


def pack(record):
    """Serialise a :class:`CdiRecord` to bytes, refusing what readers would refuse
    (:func:`check_record_limits`)."""
    check_record_limits(record)
    if len(record.fingerprint.encode('ascii')) > 255:
        raise BitstreamError(f'codec fingerprint {record.fingerprint!r} is longer than '
                             '255 bytes')
    return serialise_unchecked(record)


def serialise_unchecked(record):
    """The bytes of a record without the writer's checks: for forging hostile files in
    tests; use :func:`pack` to write files."""
    fp = record.fingerprint.encode('ascii')
    parts = [MAGIC, struct.pack('<BB', FORMAT_VERSION, len(fp)), fp,
             struct.pack('<3H2IB', *record.latent_shape, *record.image_size,
                         len(record.strings))]
    for s in record.strings:
        parts += [struct.pack('<I', len(s)), s]
    body = b''.join(parts)
    return body + struct.pack('<I', zlib.crc32(body))


class _Reader:

    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n, what):
        if self.pos + n > len(self.data):
            raise BitstreamError(f'truncated .cdi data: {len(self.data)} bytes end inside '
                                 f'the {what}')
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk


def unpack(data, expected_fingerprint=None):
    """Parse and check ``.cdi`` bytes.

    Args:
        data (bytes): File contents.
        expected_fingerprint (str, optional): Refuse data made by another codec.

    Returns:
        CdiRecord

    Raises:
        BitstreamError: Empty, truncated, corrupted (CRC), wrong magic or version,
            implausible header, trailing bytes, or a foreign codec fingerprint.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise BitstreamError(f'expected bytes, got {type(data).__name__}')
    data = bytes(data)
    if not data:
        raise BitstreamError('empty .cdi data (0 bytes)')
    reader = _Reader(data)
    magic = reader.take(4, 'magic')
    if magic != MAGIC:
        raise BitstreamError(f'not a .cdi file: magic {magic!r}, expected {MAGIC!r}')
    version, fp_len = struct.unpack('<BB', reader.take(2, 'header'))
    if version != FORMAT_VERSION:
        raise BitstreamError(f'unsupported .cdi format version {version}; this reader '
                             f'supports version {FORMAT_VERSION}')
    fp_raw = reader.take(fp_len, 'codec fingerprint')
    c, h, w, height, width, n_strings = struct.unpack('<3H2IB',
                                                      reader.take(15, 'shape header'))
    if not 0 < n_strings <= MAX_STRINGS:
        raise BitstreamError(f'implausible number of streams {n_strings}')
    strings = []
    for i in range(n_strings):
        (length, ) = struct.unpack('<I', reader.take(4, f'length of stream {i}'))
        strings.append(reader.take(length, f'payload of stream {i} ({length} bytes)'))
    body_end = reader.pos
    (crc, ) = struct.unpack('<I', reader.take(4, 'CRC32'))
    if reader.pos != len(data):
        raise BitstreamError(f'{len(data) - reader.pos} unexpected bytes after the CRC32')
    if zlib.crc32(data[:body_end]) != crc:
        raise BitstreamError('CRC32 mismatch: the .cdi data is corrupted')
    try:
        fingerprint = fp_raw.decode('ascii')
    except UnicodeDecodeError as exc:
        raise BitstreamError('codec fingerprint is not ASCII') from exc
    if not (0 < c and 0 < h <= MAX_LATENT_SIDE and 0 < w <= MAX_LATENT_SIDE
            and 0 < height and 0 < width):
        raise BitstreamError(f'implausible shapes in header: latent {(c, h, w)}, image '
                             f'{(height, width)}')
    if c * h * w > MAX_LATENT_ELEMENTS:
        raise BitstreamError(f'latent {(c, h, w)} has more than MAX_LATENT_ELEMENTS='
                             f'{MAX_LATENT_ELEMENTS} elements (decompression-bomb guard); '
                             'raise cdi_mm.codecs.bitstream.MAX_LATENT_ELEMENTS to read it')
    if expected_fingerprint is not None and fingerprint != expected_fingerprint:
        raise BitstreamError(f'.cdi data was made by codec {fingerprint!r}, but this codec '
                             f'is {expected_fingerprint!r}; re-encode the data with this '
                             'codec or load the codec it was made with')
    return CdiRecord(fingerprint, (c, h, w), (height, width), strings)


@torch.no_grad()
def compress_images(codec, images):
    """Encode a batch of same-size images into ``.cdi`` bytes, one per image.

    Args:
        codec: A cdi_mm codec (``torfason2018`` or a zoo adapter) in eval mode with
            built coding tables.
        images (Tensor): ``(B, 3, H, W)`` float RGB in [0, 1].

    Returns:
        list[bytes]
    """
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(f'expected images of shape (B, 3, H, W), got {tuple(images.shape)}')
    height, width = images.shape[-2:]
    # refuse before encoding what the writer would refuse after it
    check_record_limits(CdiRecord('', latent_shape(codec, height, width), (height, width),
                                  [b''] * getattr(codec, 'num_streams', 1)))
    out = codec.compress(pad_to_stride(images, codec.pad_multiple))
    fingerprint = codec_fingerprint(codec)
    return [pack(CdiRecord(fingerprint, latent_shape(codec, height, width), (height, width),
                           [stream[i] for stream in out['strings']]))
            for i in range(images.shape[0])]


@torch.no_grad()
def decompress_image(codec, data, reconstruct=False, fingerprint=None):
    """Decode ``.cdi`` bytes with ``codec``: entropy decoding only, unless
    ``reconstruct`` asks for the synthesis transform too.

    ``fingerprint`` is the codec's :func:`codec_fingerprint` when the caller already
    holds it (a frozen codec decoding many files); it is computed otherwise.

    Raises:
        BitstreamError: See :func:`unpack`; also when the latent shape does not fit the
            image size or the payload decodes to symbols outside the alphabet.
    """
    record = unpack(data, expected_fingerprint=fingerprint or codec_fingerprint(codec))
    _, h, w = record.latent_shape
    height, width = record.image_size
    expected = latent_shape(codec, height, width)
    if record.latent_shape != expected:
        raise BitstreamError(f'latent shape {record.latent_shape} does not fit image size '
                             f'{record.image_size} for this codec (expected {expected})')
    num_streams = getattr(codec, 'num_streams', 1)
    if len(record.strings) != num_streams:
        raise BitstreamError(f'{len(record.strings)} streams in the file, but this codec '
                             f'writes {num_streams}')
    strings = [[s] for s in record.strings]
    try:
        latent = codec.decompress_latent(strings, (h, w))
    except (ValueError, RuntimeError) as exc:
        raise BitstreamError(f'payload does not decode: {exc}') from exc
    image = None
    if reconstruct:
        image = codec.synthesis(latent)[0, :, :height, :width]
    return DecodedImage(latent[0], (height, width), image)
