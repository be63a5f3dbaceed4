"""Rate-distortion metrics (bpp from real bytes, PSNR, MS-SSIM) and references,
and the foreground IoU of segmenters."""
from .bd_rate import bd_rate
from .foreground_iou import ForegroundIoUMetric
from .pillow_reference import (PILLOW_QUALITIES, interpolate_at_bpp,
                               mean_curve, pillow_bytes, pillow_curve,
                               pillow_point, pillow_points, quality_at_bpp)
from .rate_distortion import RateDistortionMetric, ms_ssim_any_size, psnr

__all__ = [
    'ForegroundIoUMetric', 'PILLOW_QUALITIES', 'RateDistortionMetric',
    'bd_rate', 'interpolate_at_bpp', 'mean_curve', 'ms_ssim_any_size',
    'pillow_bytes', 'pillow_curve', 'pillow_point', 'pillow_points', 'psnr',
    'quality_at_bpp'
]
