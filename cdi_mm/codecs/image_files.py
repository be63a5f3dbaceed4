"""Files on either side of a codec (pure torch; no OpenMMLab imports): which
files the tools read as images, reading a file a stranger may have made, and
the 8-bit picture a decoder writes."""
import errno
import io
import os
import stat

import numpy as np
from PIL import Image

from . import bitstream

__all__ = [
    'IMAGE_SUFFIXES', 'ImageReadError', 'MAX_FILE_BYTES', 'UnsafeFileError',
    'check_image_bytes', 'read_image_file', 'read_regular_file', 'to_uint8_hwc'
]

#: Largest file (bytes) :func:`read_regular_file` reads.
MAX_FILE_BYTES = 1 << 30

#: Image file suffixes the tools read (lower case): every format Pillow and
#: OpenCV both decode.
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.ppm', '.webp', '.tif',
                  '.tiff')


class UnsafeFileError(OSError):
    """A path that is not a regular file (FIFO, device, socket, folder) or is
    over :data:`MAX_FILE_BYTES`: refused before a byte is read."""


def _kind(mode):
    for test, name in ((stat.S_ISFIFO, 'a FIFO'), (stat.S_ISCHR,
                                                   'a character device'),
                       (stat.S_ISBLK, 'a block device'),
                       (stat.S_ISSOCK, 'a socket'), (stat.S_ISDIR,
                                                     'a folder')):
        if test(mode):
            return name
    return 'not a regular file'


def read_regular_file(path, max_bytes=None):
    """The bytes of ``path`` if it is a regular file (symlinks followed) of at
    most ``max_bytes`` (default :data:`MAX_FILE_BYTES`).

    The file is opened without blocking and checked on the open descriptor,
    so a FIFO, a device (a link to ``/dev/zero``) or a file swapped in after a
    check can neither hang the reader nor make it read without end.

    Raises:
        FileNotFoundError: No such file (or a dangling link).
        UnsafeFileError: Not a regular file, or too large; names the path.
    """
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket
            raise UnsafeFileError(
                f'{path}: not a regular file; only regular files are read'
            ) from exc
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(f'{path}: {_kind(info.st_mode)}, not a '
                                  'regular file; only regular files are read')
        if info.st_size > limit:
            raise _too_large(path, limit)
        # one read for the size fstat saw; more only if the file grew
        chunks = [os.read(fd, info.st_size + 1)]
        size = len(chunks[0])
        while size > info.st_size and chunks[-1]:
            if size > limit:
                raise _too_large(path, limit)
            chunks.append(os.read(fd, 65536))
            size += len(chunks[-1])
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b''.join(chunks)


def _too_large(path, limit):
    return UnsafeFileError(
        f'{path}: over {limit} bytes (cdi_mm.codecs.image_files.'
        'MAX_FILE_BYTES); raise it if you trust the file')


class ImageReadError(OSError):
    """An image file cannot be read: not an image, truncated, corrupt, too
    large, or not a regular file."""


def check_image_bytes(data, path):
    """Check an image file's bytes before any pixel is decoded: the header
    (read with Pillow) must declare at most
    :data:`cdi_mm.codecs.bitstream.MAX_IMAGE_PIXELS` pixels (Pillow's
    decompression-bomb limit; OpenCV alone would decode up to 2^30), and a
    JPEG must have its end-of-image marker.

    Raises:
        ImageReadError: Not an image, over the pixel limit, or a truncated
            JPEG; names the file.
    """
    limit = bitstream.MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as header:
            width, height = header.size
    except Image.DecompressionBombError:
        width = height = None
    except (OSError, SyntaxError,
            ValueError) as exc:  # UnidentifiedImageError is an OSError
        raise ImageReadError(f'{path}: not a readable image ({exc})') from exc
    if width is None or width * height > limit:
        raise ImageReadError(
            f'{path}: {f"{width}x{height} pixels" if width else "the image"} '
            f'exceeds MAX_IMAGE_PIXELS={limit} (Pillow\'s limit); downscale '
            'it, or raise cdi_mm.codecs.bitstream.MAX_IMAGE_PIXELS if you '
            'trust the file')
    if data[:2] == b'\xff\xd8' and b'\xff\xd9' not in data[-65536:]:
        raise ImageReadError(
            f'{path}: truncated JPEG (no end-of-image marker)')


def read_image_file(path):
    """The bytes of an image file that passed :func:`read_regular_file` and
    :func:`check_image_bytes`.

    Raises:
        FileNotFoundError: No such file.
        ImageReadError: Not a regular file, too large, not an image, over
            the pixel limit or truncated; names the file.
    """
    try:
        data = read_regular_file(path)
    except UnsafeFileError as exc:
        raise ImageReadError(str(exc)) from exc
    check_image_bytes(data, path)
    return data


def to_uint8_hwc(image):
    """An image tensor as the 8-bit picture a file would hold.

    Args:
        image (Tensor): (3, H, W) RGB, nominally in [0, 1] (clamped), any
            device.

    Returns:
        np.ndarray: Contiguous (H, W, 3) uint8, rounded to nearest.
    """
    array = (image.detach().clamp(0, 1) * 255).round().byte().permute(1, 2, 0)
    return np.ascontiguousarray(array.cpu().numpy())
