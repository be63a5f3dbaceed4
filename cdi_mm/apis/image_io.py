"""Read image files as codec input, with the checks a file from a stranger
needs."""
import cv2
import mmcv
import torch

from cdi_mm.codecs import compress_images
from cdi_mm.codecs.image_files import ImageReadError, read_image_file

__all__ = ['ImageReadError', 'compress_file', 'read_image']


def read_image(path, size=None):
    """An image file as a ``(1, 3, H, W)`` float RGB tensor in [0, 1].

    Decoded and resized with mmcv (``imfrombytes``, bilinear ``imresize`` to
    ``size`` = ``(W, H)`` when given), exactly as mmpretrain's
    ``LoadImageFromFile`` + ``Resize`` do, so that pre-encoded and on-the-fly
    latents of the same file agree. Only a regular file is read (a FIFO or a
    link to a device is refused, not waited on), and its header first: images
    over ``cdi_mm.codecs.bitstream.MAX_IMAGE_PIXELS`` are refused before any
    pixel is decoded (:func:`cdi_mm.codecs.image_files.read_image_file`).

    Raises:
        FileNotFoundError: No such file.
        ImageReadError: Not a regular file, not an image, truncated or
            corrupt, or over the pixel limit; the message names the file.
    """
    data = read_image_file(path)
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
    # one float copy (4 bytes per value), not two
    planes = torch.from_numpy(image).permute(2, 0, 1).contiguous()
    return planes[None].float().div_(255.0)


def compress_file(codec, path, size=None):
    """Encode one image file (resized to ``size`` = ``(W, H)`` if given) to
    ``.cdi``."""
    device = next(codec.parameters()).device
    return compress_images(codec, read_image(path, size).to(device))[0]
