"""Rate-distortion metrics (bpp from real bytes, PSNR, MS-SSIM)."""
from .jpeg_reference import interpolate_at_bpp, jpeg_curve, jpeg_point
from .rate_distortion import RateDistortionMetric, ms_ssim_any_size, psnr

__all__ = ['RateDistortionMetric', 'interpolate_at_bpp', 'jpeg_curve', 'jpeg_point',
           'ms_ssim_any_size', 'psnr']
