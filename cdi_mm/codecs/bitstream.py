"""The ``.cdi`` container: one compressed image per file, self-describing and
checked.

Layout (little endian)::

    magic      4 bytes  b'CDIM'
    version    u8       1 or 2 (FORMAT_VERSIONS)
    fp_len     u8       length of the codec fingerprint
    fingerprint         ASCII, e.g.
                        'torfason2018:c32:ste-centers:1a2b3c4d5e6f7a8b'
    latent     3 x u16  C, h, w of the quantized latent
    image      2 x u32  original image height, width (before padding to
                        the stride)
    tile_side  u16      version 2 only: latent positions per tile side
    n_strings  u8       number of entropy-coded streams (version 2: 1)
    n_strings x (u32 length, bytes)
    crc32      u32      CRC32 of everything before it

Version 1 codes each stream over the whole latent. Version 2 (tiled, for
codecs with one table per channel, :mod:`cdi_mm.codecs.tiled`) holds one
payload: the byte length of every tile (row-major tiles of ``tile_side`` x
``tile_side`` positions, edge tiles smaller) as LEB128 varints, then each
tile's own rANS stream, so a reader seeks to the tiles a crop covers.

Reading anything malformed raises :class:`BitstreamError` with a message naming
the problem; header fields are bounds-checked before anything is allocated.
"""
import struct
import zlib
from dataclasses import dataclass

__all__ = [
    'BitstreamError', 'CdiRecord', 'FORMAT_VERSION', 'FORMAT_VERSIONS',
    'MAGIC', 'MAX_IMAGE_PIXELS', 'MAX_TILE_SYMBOLS', 'check_record_limits',
    'pack', 'unpack'
]

MAGIC = b'CDIM'
#: The version of untiled files (a record with ``tile_side`` 0).
FORMAT_VERSION = 1
#: Versions this reader reads.
FORMAT_VERSIONS = (1, 2)
MAX_LATENT_SIDE = 8192
#: Symbols of one tile (C x side x side) a version-2 reader decodes at once.
MAX_TILE_SYMBOLS = 1 << 20
# decompression-bomb guard, as Pillow's MAX_IMAGE_PIXELS: a few header bytes
# must not make the reader allocate gigabytes (raise it to read larger
# latents)
MAX_LATENT_ELEMENTS = 1 << 24
#: Largest image (pixels) a header may declare: Pillow's decompression-bomb
#: limit, as ``cdi_mm.apis.image_io.read_image`` applies it to image files.
MAX_IMAGE_PIXELS = 89_478_485
MAX_STRINGS = 8


class BitstreamError(ValueError):
    """A ``.cdi`` file is empty, truncated, corrupted, of another format
    version, or was made by a different codec."""


@dataclass
class CdiRecord:
    """The parsed fields of a ``.cdi`` file; ``tile_side`` is 0 for version 1
    (untiled streams), else the tile side of the version-2 payload
    ``strings[0]``."""
    fingerprint: str
    latent_shape: tuple
    image_size: tuple
    strings: list
    tile_side: int = 0

    @property
    def version(self):
        return 2 if self.tile_side else 1


def check_record_limits(record):
    """Refuse a record the reader would refuse (or that the header cannot
    hold).

    Raises:
        BitstreamError: Naming the limit and how to raise it where that is
            possible.
    """
    c, h, w = record.latent_shape
    height, width = record.image_size
    if not (0 < c <= 0xFFFF and 0 < h <= MAX_LATENT_SIDE
            and 0 < w <= MAX_LATENT_SIDE):
        raise BitstreamError(
            f'latent {(c, h, w)} exceeds the .cdi limits (C <= 65535, '
            f'sides <= MAX_LATENT_SIDE={MAX_LATENT_SIDE}); downscale the '
            'image')
    if c * h * w > MAX_LATENT_ELEMENTS:
        raise BitstreamError(
            f'latent {(c, h, w)} has more than MAX_LATENT_ELEMENTS='
            f'{MAX_LATENT_ELEMENTS} elements, so readers would refuse the '
            'file; downscale the image or raise '
            'cdi_mm.codecs.bitstream.MAX_LATENT_ELEMENTS for writer and '
            'readers alike')
    if not (0 < height < 1 << 32 and 0 < width < 1 << 32):
        raise BitstreamError(
            f'image size {record.image_size} does not fit the header')
    _check_pixels(height, width)
    if not 0 < len(record.strings) <= MAX_STRINGS:
        raise BitstreamError(
            f'{len(record.strings)} streams; a .cdi file holds 1 to '
            f'{MAX_STRINGS}')
    if any(len(s) >= 1 << 32 for s in record.strings):
        raise BitstreamError(
            'a stream of 4 GiB or more does not fit the header')
    if record.tile_side:
        _check_tiles(record.latent_shape, record.tile_side,
                     len(record.strings))


def _check_pixels(height, width):
    if height * width > MAX_IMAGE_PIXELS:
        raise BitstreamError(
            f'the header declares a {width}x{height} image, over '
            f'MAX_IMAGE_PIXELS={MAX_IMAGE_PIXELS} (decompression-bomb '
            'guard, Pillow\'s limit); raise '
            'cdi_mm.codecs.bitstream.MAX_IMAGE_PIXELS to read it')


def _check_tiles(latent_shape, tile_side, n_strings):
    c, h, w = latent_shape
    if not 0 < tile_side <= 0xFFFF or n_strings != 1:
        raise BitstreamError(
            f'a version-2 record holds one tiled payload with a tile side in '
            f'1..65535, got {n_strings} streams and side {tile_side}')
    if c * min(tile_side, h) * min(tile_side, w) > MAX_TILE_SYMBOLS:
        raise BitstreamError(
            f'tiles of {tile_side}x{tile_side} positions of a latent '
            f'{latent_shape} hold more than MAX_TILE_SYMBOLS='
            f'{MAX_TILE_SYMBOLS} symbols; use smaller tiles')


def pack(record):
    """Serialise a :class:`CdiRecord` to bytes, refusing what readers would
    refuse (:func:`check_record_limits`)."""
    check_record_limits(record)
    if len(record.fingerprint.encode('ascii')) > 255:
        raise BitstreamError(
            f'codec fingerprint {record.fingerprint!r} is longer than '
            '255 bytes')
    return serialise_unchecked(record)


def serialise_unchecked(record):
    """The bytes of a record without the writer's checks: for forging hostile
    files in tests; use :func:`pack` to write files."""
    fp = record.fingerprint.encode('ascii')
    parts = [
        MAGIC,
        struct.pack('<BB', record.version, len(fp)), fp,
        struct.pack('<3H2I', *record.latent_shape, *record.image_size),
        struct.pack('<H', record.tile_side) if record.tile_side else b'',
        struct.pack('<B', len(record.strings))
    ]
    for s in record.strings:
        parts += [struct.pack('<I', len(s)), s]
    body = b''.join(parts)
    return body + struct.pack('<I', zlib.crc32(body))


class _Reader:

    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n, what):
        if self.pos + n > len(self.data):
            raise BitstreamError(
                f'truncated .cdi data: {len(self.data)} bytes end inside '
                f'the {what}')
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk


def unpack(data, expected_fingerprint=None):
    """Parse and check ``.cdi`` bytes.

    Args:
        data (bytes): File contents.
        expected_fingerprint (str, optional): Refuse data made by another
            codec.

    Returns:
        CdiRecord

    Raises:
        BitstreamError: Empty, truncated, corrupted (CRC), wrong magic or
            version, implausible header, trailing bytes, or a foreign codec
            fingerprint.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise BitstreamError(f'expected bytes, got {type(data).__name__}')
    data = bytes(data)
    if not data:
        raise BitstreamError('empty .cdi data (0 bytes)')
    reader = _Reader(data)
    magic = reader.take(4, 'magic')
    if magic != MAGIC:
        raise BitstreamError(
            f'not a .cdi file: magic {magic!r}, expected {MAGIC!r}')
    version, fp_len = struct.unpack('<BB', reader.take(2, 'header'))
    if version not in FORMAT_VERSIONS:
        raise BitstreamError(
            f'unsupported .cdi format version {version}; this reader '
            f'supports versions {FORMAT_VERSIONS}')
    fp_raw = reader.take(fp_len, 'codec fingerprint')
    c, h, w, height, width = struct.unpack('<3H2I',
                                           reader.take(14, 'shape header'))
    tile_side = 0
    if version == 2:
        (tile_side, ) = struct.unpack('<H', reader.take(2, 'tile side'))
    (n_strings, ) = struct.unpack('<B', reader.take(1, 'stream count'))
    if not 0 < n_strings <= MAX_STRINGS:
        raise BitstreamError(f'implausible number of streams {n_strings}')
    strings = []
    for i in range(n_strings):
        (length, ) = struct.unpack('<I', reader.take(4,
                                                     f'length of stream {i}'))
        strings.append(
            reader.take(length, f'payload of stream {i} ({length} bytes)'))
    body_end = reader.pos
    (crc, ) = struct.unpack('<I', reader.take(4, 'CRC32'))
    if reader.pos != len(data):
        raise BitstreamError(
            f'{len(data) - reader.pos} unexpected bytes after the CRC32')
    if zlib.crc32(data[:body_end]) != crc:
        raise BitstreamError('CRC32 mismatch: the .cdi data is corrupted')
    try:
        fingerprint = fp_raw.decode('ascii')
    except UnicodeDecodeError as exc:
        raise BitstreamError('codec fingerprint is not ASCII') from exc
    if not (0 < c and 0 < h <= MAX_LATENT_SIDE and 0 < w <= MAX_LATENT_SIDE
            and 0 < height and 0 < width):
        raise BitstreamError(
            f'implausible shapes in header: latent {(c, h, w)}, image '
            f'{(height, width)}')
    if c * h * w > MAX_LATENT_ELEMENTS:
        raise BitstreamError(
            f'latent {(c, h, w)} has more than MAX_LATENT_ELEMENTS='
            f'{MAX_LATENT_ELEMENTS} elements (decompression-bomb guard); '
            'raise cdi_mm.codecs.bitstream.MAX_LATENT_ELEMENTS to read it')
    _check_pixels(height, width)
    if version == 2:
        _check_tiles((c, h, w), tile_side, n_strings)
    if expected_fingerprint not in (None, fingerprint):
        raise BitstreamError(
            f'.cdi data was made by codec {fingerprint!r}, but this codec '
            f'is {expected_fingerprint!r}; re-encode the data with this '
            'codec or load the codec it was made with')
    return CdiRecord(fingerprint, (c, h, w), (height, width), strings,
                     tile_side)
