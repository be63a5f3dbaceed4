"""Image files on either side of a codec (pure torch; no OpenMMLab imports):
which files the tools read as images, and the 8-bit picture a decoder
writes."""
import numpy as np

__all__ = ['IMAGE_SUFFIXES', 'to_uint8_hwc']

#: Image file suffixes the tools read (lower case): every format Pillow and
#: OpenCV both decode.
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.ppm', '.webp', '.tif',
                  '.tiff')


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
