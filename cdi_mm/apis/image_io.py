"""Read image files as codec input, with the checks a file from a stranger
needs."""
import io

import cv2
import mmcv
import numpy as np
import torch
from PIL import Image

from cdi_mm.codecs import compress_images

__all__ = ['ImageReadError', 'MAX_IMAGE_PIXELS', 'compress_file', 'read_image']

#: Largest image (pixels) :func:`read_image` decodes: Pillow's
#: decompression-bomb limit.
MAX_IMAGE_PIXELS = 89_478_485


class ImageReadError(OSError):
    """An image file cannot be read: not an image, truncated, corrupt or too
    large."""


def read_image(path, size=None):
    """An image file as a ``(1, 3, H, W)`` float RGB tensor in [0, 1].

    Decoded and resized with mmcv (``imfrombytes``, bilinear ``imresize`` to
    ``size`` = ``(W, H)`` when given), exactly as mmpretrain's
    ``LoadImageFromFile`` + ``Resize`` do, so that pre-encoded and on-the-fly
    latents of the same file agree. The header is read first (with Pillow) and
    images over ``MAX_IMAGE_PIXELS`` are refused before any pixel is decoded:
    OpenCV alone would decode up to 2^30 pixels.

    Raises:
        FileNotFoundError: No such file.
        ImageReadError: Not an image, truncated or corrupt, or over the pixel
            limit; the message names the file.
    """
    with open(path, 'rb') as f:
        data = f.read()
    try:
        with Image.open(io.BytesIO(data)) as header:
            width, height = header.size
    except Image.DecompressionBombError:
        width = height = None
    except (OSError, SyntaxError,
            ValueError) as exc:  # UnidentifiedImageError is an OSError
        raise ImageReadError(f'{path}: not a readable image ({exc})') from exc
    if width is None or width * height > MAX_IMAGE_PIXELS:
        raise ImageReadError(
            f'{path}: {f"{width}x{height} pixels" if width else "the image"} '
            f'exceeds MAX_IMAGE_PIXELS={MAX_IMAGE_PIXELS} (Pillow\'s limit); '
            'downscale it, or raise cdi_mm.apis.image_io.MAX_IMAGE_PIXELS if '
            'you trust the file')
    if data[:2] == b'\xff\xd8' and b'\xff\xd9' not in data[-65536:]:
        raise ImageReadError(
            f'{path}: truncated JPEG (no end-of-image marker)')
    try:
        image = mmcv.imfrombytes(data, channel_order='rgb')
    # OpenCV could not decode and mmcv converted the empty result
    except cv2.error:
        image = None
    if image is None:
        raise ImageReadError(
            f'{path}: cannot decode the image (truncated or corrupt)')
    if size is not None:
        image = mmcv.imresize(image, tuple(size), interpolation='bilinear')
    array = image.astype(np.float32) / 255.0
    return torch.from_numpy(array).permute(2, 0, 1)[None].contiguous()


def compress_file(codec, path, size=None):
    """Encode one image file (resized to ``size`` = ``(W, H)`` if given) to
    ``.cdi``."""
    device = next(codec.parameters()).device
    return compress_images(codec, read_image(path, size).to(device))[0]
