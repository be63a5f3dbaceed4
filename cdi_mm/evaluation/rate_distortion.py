"""Rate-distortion metrics from real bitstreams."""
import math

import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric
from pytorch_msssim import ms_ssim
from pytorch_msssim.ssim import _fspecial_gauss_1d, _ssim

from cdi_mm.registry import METRICS

__all__ = ['RateDistortionMetric', 'psnr', 'ms_ssim_any_size']

_MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def psnr(a, b, data_range=1.0):
    """PSNR in dB between two images in ``[0, data_range]``."""
    mse = torch.mean((a.double() - b.double())**2).item()
    return float('inf') if mse == 0 else 10 * math.log10(data_range**2 / mse)


def ms_ssim_any_size(a, b, data_range=1.0):
    """MS-SSIM (Wang et al. 2003) of ``(3, H, W)`` images in [0, 1].

    Images with sides > 160 px get the standard 5 scales and 11x11 window
    (``pytorch_msssim.ms_ssim``). Smaller images (the 32-64 px CPU data sets)
    use as many of the first scales as fit (weights renormalised) and, below 22
    px, a 7x7 window, with pytorch_msssim's per-scale SSIM; the scales used
    depend only on the image size.
    """
    x, y = a[None].float(), b[None].float()
    side = min(a.shape[-2:])
    if side > 160:
        return ms_ssim(x, y, data_range=data_range).item()
    win_size = 11 if side > 20 else 7
    levels = 1
    while levels < 5 and side > (win_size - 1) * 2**levels:
        levels += 1
    weights = torch.tensor(_MS_SSIM_WEIGHTS[:levels])
    weights = weights / weights.sum()
    win = _fspecial_gauss_1d(win_size, 1.5).repeat(3, 1, 1, 1)
    factors = []
    for level in range(levels):
        ssim_per_channel, cs = _ssim(
            x, y, data_range=data_range, win=win, size_average=False)
        if level < levels - 1:
            factors.append(torch.relu(cs))
            padding = [s % 2 for s in x.shape[2:]]
            x, y = F.avg_pool2d(
                x, 2, padding=padding), F.avg_pool2d(
                    y, 2, padding=padding)
    factors.append(torch.relu(ssim_per_channel))
    return torch.prod(
        torch.stack(factors)**weights.view(-1, 1, 1), dim=0).mean().item()


@METRICS.register_module()
class RateDistortionMetric(BaseMetric):
    """bpp from real ``.cdi`` byte counts, PSNR and MS-SSIM of the decoded
    images.

    Expects predictions from :class:`cdi_mm.models.CodecModel` (``num_bytes``,
    ``num_pixels``, ``pred_img``, ``gt_img``). bpp is total bits over total
    pixels.

    Args:
        collect_device (str): Device for collecting results across ranks.
        prefix (str, optional): Metric name prefix. Defaults to ``'rd'``.
    """

    default_prefix = 'rd'

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            pred, gt = sample['pred_img'].cpu(), sample['gt_img'].cpu()
            self.results.append(
                dict(
                    bits=8 * sample['num_bytes'],
                    pixels=sample['num_pixels'],
                    psnr=psnr(pred, gt),
                    ms_ssim=ms_ssim_any_size(pred, gt)))

    def compute_metrics(self, results):
        return dict(
            bpp=sum(r['bits'] for r in results) / sum(r['pixels']
                                                      for r in results),
            psnr=sum(r['psnr'] for r in results) / len(results),
            ms_ssim=sum(r['ms_ssim'] for r in results) / len(results))
