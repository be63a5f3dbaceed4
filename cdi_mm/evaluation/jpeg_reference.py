"""JPEG (Pillow) rate-distortion reference at matched bitrates."""
import io

import numpy as np
import torch
from PIL import Image

from .rate_distortion import ms_ssim_any_size, psnr

__all__ = ['jpeg_point', 'jpeg_curve', 'interpolate_at_bpp']


def _to_pil(image):
    array = (image.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).cpu().numpy()
    return Image.fromarray(array)


def jpeg_point(image, quality):
    """Encode ``image`` ((3, H, W) in [0, 1]) as JPEG; return bpp, PSNR, MS-SSIM, bytes.

    The reference is the 8-bit image JPEG sees, so rounding is not counted against it.
    """
    buffer = io.BytesIO()
    _to_pil(image).save(buffer, format='JPEG', quality=int(quality))
    data = buffer.getvalue()
    decoded = torch.from_numpy(np.asarray(Image.open(io.BytesIO(data)).convert('RGB'),
                                          dtype=np.float32) / 255).permute(2, 0, 1)
    reference = (image.clamp(0, 1) * 255).round() / 255
    return dict(bpp=8 * len(data) / (image.shape[1] * image.shape[2]),
                psnr=psnr(decoded, reference), ms_ssim=ms_ssim_any_size(decoded, reference),
                num_bytes=len(data))


def jpeg_curve(images, qualities=(1, 3, 5, 8, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 95)):
    """Mean bpp / PSNR / MS-SSIM over ``images`` for each JPEG quality, sorted by bpp."""
    curve = []
    for quality in qualities:
        points = [jpeg_point(image, quality) for image in images]
        curve.append(dict(quality=quality,
                          **{k: float(np.mean([p[k] for p in points]))
                             for k in ('bpp', 'psnr', 'ms_ssim')}))
    return sorted(curve, key=lambda p: p['bpp'])


def interpolate_at_bpp(curve, bpp, key):
    """Linear interpolation of ``key`` on a bpp-sorted curve (NaN outside its range)."""
    rates = [p['bpp'] for p in curve]
    if not rates[0] <= bpp <= rates[-1]:
        return float('nan')
    return float(np.interp(bpp, rates, [p[key] for p in curve]))
