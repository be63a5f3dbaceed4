"""Pillow JPEG / WebP rate-distortion references at matched bitrates."""
import io

import numpy as np
import torch
from PIL import Image

from cdi_mm.codecs import to_uint8_hwc
from .rate_distortion import ms_ssim_any_size, psnr

__all__ = [
    'PILLOW_QUALITIES', 'interpolate_at_bpp', 'mean_curve', 'pillow_bytes',
    'pillow_curve', 'pillow_point', 'pillow_points', 'quality_at_bpp'
]

#: Quality sweeps per format: from each encoder's lowest rate to near-lossless.
PILLOW_QUALITIES = {
    'JPEG': (1, 3, 5, 8, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 95),
    'WEBP': (0, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95),
}


def pillow_bytes(array, quality, format='JPEG'):
    """The bytes of an ``(H, W, 3)`` uint8 image encoded by Pillow at
    ``quality``.

    Args:
        array (np.ndarray): ``(H, W, 3)`` uint8 RGB.
        quality (int): The encoder's quality setting.
        format (str): ``'JPEG'`` or ``'WEBP'``.
    """
    if format not in PILLOW_QUALITIES:
        raise ValueError(
            f'format must be one of {sorted(PILLOW_QUALITIES)}, got {format!r}'
        )
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=format, quality=int(quality))
    return buffer.getvalue()


def quality_at_bpp(arrays, bpp, format='JPEG'):
    """The quality setting (1-95) whose mean bpp over ``arrays`` is closest to
    ``bpp``, and the bytes of every image at it.

    The mean size grows with the quality, so a bisection finds the first
    quality at or above ``bpp`` (about 7 encodings of each image instead of
    95); of it and the quality below, the closer one wins (the lower on a
    tie).

    Args:
        arrays (list[np.ndarray]): ``(H, W, 3)`` uint8 RGB images of one size.
        bpp (float): Target bits per pixel.
        format (str): ``'JPEG'`` or ``'WEBP'``.

    Returns:
        tuple[int, list[bytes]]: The quality and the encoded images.
    """
    pixels = arrays[0].shape[0] * arrays[0].shape[1]
    encoded = {}

    def rate(quality):
        if quality not in encoded:
            encoded[quality] = [
                pillow_bytes(a, quality, format) for a in arrays
            ]
        return 8 * np.mean([len(d) for d in encoded[quality]]) / pixels

    low, high = 1, 95
    while low < high:
        middle = (low + high) // 2
        if rate(middle) < bpp:
            low = middle + 1
        else:
            high = middle
    best = min((q for q in (low - 1, low) if q >= 1),
               key=lambda q: (abs(rate(q) - bpp), q))
    return best, encoded[best]


def pillow_point(image, quality, format='JPEG'):
    """Encode ``image`` ((3, H, W) in [0, 1]) with Pillow; return bpp, PSNR,
    MS-SSIM, bytes.

    The reference is the 8-bit image the encoder sees, so rounding is not
    counted against it. WebP is lossy WebP at Pillow's default effort
    (``method=4``).

    Args:
        image (Tensor): (3, H, W) RGB in [0, 1].
        quality (int): the encoder's quality setting.
        format (str): ``'JPEG'`` or ``'WEBP'``.
    """
    data = pillow_bytes(to_uint8_hwc(image), quality, format)
    decoded = torch.from_numpy(
        np.asarray(
            Image.open(io.BytesIO(data)).convert('RGB'), dtype=np.float32) /
        255).permute(2, 0, 1)
    reference = (image.clamp(0, 1) * 255).round() / 255
    return dict(
        bpp=8 * len(data) / (image.shape[1] * image.shape[2]),
        psnr=psnr(decoded, reference),
        ms_ssim=ms_ssim_any_size(decoded, reference),
        num_bytes=len(data))


def pillow_points(images, format='JPEG', qualities=None):
    """Per-image points of a quality sweep: one dict per (quality, image
    index).

    Args:
        images (list[Tensor]): (3, H, W) RGB images in [0, 1].
        format (str): ``'JPEG'`` or ``'WEBP'``.
        qualities (Sequence[int], optional): default
            ``PILLOW_QUALITIES[format]``.
    """
    return [
        dict(
            format=format,
            quality=quality,
            index=index,
            **pillow_point(image, quality, format))
        for quality in qualities or PILLOW_QUALITIES[format]
        for index, image in enumerate(images)
    ]


def mean_curve(points):
    """Mean bpp / PSNR / MS-SSIM of per-image points per (format, quality), by
    bpp."""
    groups = {}
    for point in points:
        groups.setdefault((point['format'], point['quality']),
                          []).append(point)
    curve = [
        dict(
            format=format,
            quality=quality,
            **{
                k: float(np.mean([p[k] for p in group]))
                for k in ('bpp', 'psnr', 'ms_ssim')
            }) for (format, quality), group in groups.items()
    ]
    return sorted(curve, key=lambda p: p['bpp'])


def pillow_curve(images, format='JPEG', qualities=None):
    """Mean bpp / PSNR / MS-SSIM over ``images`` per quality setting, sorted by
    bpp.

    Args:
        images (list[Tensor]): (3, H, W) RGB images in [0, 1].
        format (str): ``'JPEG'`` or ``'WEBP'``.
        qualities (Sequence[int], optional): default
            ``PILLOW_QUALITIES[format]``.
    """
    return mean_curve(pillow_points(images, format, qualities))


def interpolate_at_bpp(curve, bpp, key):
    """Linear interpolation of ``key`` on a bpp-sorted curve (NaN outside its
    range)."""
    rates = [p['bpp'] for p in curve]
    if not rates[0] <= bpp <= rates[-1]:
        return float('nan')
    return float(np.interp(bpp, rates, [p[key] for p in curve]))
