"""Rate-distortion metrics (bpp from real bytes, PSNR, MS-SSIM)."""
from .rate_distortion import RateDistortionMetric, ms_ssim_any_size, psnr

__all__ = ['RateDistortionMetric', 'ms_ssim_any_size', 'psnr']
