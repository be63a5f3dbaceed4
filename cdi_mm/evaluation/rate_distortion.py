"""Rate-distortion metrics from real bitstreams."""
import math

import torch
from mmengine.evaluator import BaseMetric
from pytorch_msssim import ms_ssim

from cdi_mm.registry import METRICS

__all__ = ['RateDistortionMetric', 'psnr', 'ms_ssim_any_size']

_MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def psnr(a, b, data_range=1.0):
    """PSNR in dB between two images in ``[0, data_range]``."""
    mse = torch.mean((a.double() - b.double()) ** 2).item()
    return float('inf') if mse == 0 else 10 * math.log10(data_range ** 2 / mse)


def ms_ssim_any_size(a, b, data_range=1.0):
    """MS-SSIM (Wang et al. 2003) of ``(3, H, W)`` images in [0, 1].

    The standard 5 scales with an 11x11 window need sides > 160 px; smaller images use
    as many of the first scales as fit (weights renormalised) and, below 22 px, a 7x7
    window. The number of scales used is thus a function of the image size only.
    """
    side = min(a.shape[-2:])
    win = 11 if side > 20 else 7
    levels = 1
    while levels < 5 and side > (win - 1) * 2 ** levels:
        levels += 1
    weights = torch.tensor(_MS_SSIM_WEIGHTS[:levels])
    return ms_ssim(a[None].float(), b[None].float(), data_range=data_range, win_size=win,
                   weights=(weights / weights.sum()).tolist()).item()


@METRICS.register_module()
class RateDistortionMetric(BaseMetric):
    """bpp from real ``.cdi`` byte counts, PSNR and MS-SSIM of the decoded images.

    Expects predictions from :class:`cdi_mm.models.CodecModel` (``num_bytes``,
    ``num_pixels``, ``pred_img``, ``gt_img``). bpp is total bits over total pixels.

    Args:
        collect_device (str): Device for collecting results across ranks.
        prefix (str, optional): Metric name prefix. Defaults to ``'rd'``.
    """

    default_prefix = 'rd'

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            pred, gt = sample['pred_img'].cpu(), sample['gt_img'].cpu()
            self.results.append(dict(bits=8 * sample['num_bytes'],
                                     pixels=sample['num_pixels'], psnr=psnr(pred, gt),
                                     ms_ssim=ms_ssim_any_size(pred, gt)))

    def compute_metrics(self, results):
        return dict(
            bpp=sum(r['bits'] for r in results) / sum(r['pixels'] for r in results),
            psnr=sum(r['psnr'] for r in results) / len(results),
            ms_ssim=sum(r['ms_ssim'] for r in results) / len(results))
