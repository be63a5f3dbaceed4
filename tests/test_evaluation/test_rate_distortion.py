import math

import pytest
import torch
from pytorch_msssim import ms_ssim

from cdi_mm.evaluation import (interpolate_at_bpp, jpeg_curve, jpeg_point,
                               ms_ssim_any_size, psnr)


def test_psnr_known_value():
    a = torch.full((3, 8, 8), 0.5)
    assert psnr(a, a + 0.1) == pytest.approx(20.0)
    assert psnr(a, a) == math.inf


def test_ms_ssim_matches_library_on_large_images_and_orders_small_ones():
    g = torch.Generator().manual_seed(0)
    a = torch.rand(3, 200, 176, generator=g)
    b = (a + 0.1 * torch.randn(a.shape, generator=g)).clamp(0, 1)
    assert ms_ssim_any_size(a, b) == pytest.approx(
        ms_ssim(a[None], b[None], data_range=1.0).item())
    small = a[:, :32, :32]
    assert ms_ssim_any_size(small, small) == pytest.approx(1.0)
    light = (small + 0.05 * torch.randn(small.shape, generator=g)).clamp(0, 1)
    heavy = (small + 0.3 * torch.randn(small.shape, generator=g)).clamp(0, 1)
    assert 1 > ms_ssim_any_size(small, light) > ms_ssim_any_size(small, heavy) > 0
    assert 0 < ms_ssim_any_size(a[:, :16, :16], b[:, :16, :16]) < 1


def test_jpeg_reference_points_and_interpolation():
    from skimage import data
    image = torch.from_numpy(data.astronaut()[:128, :128]).permute(2, 0, 1).float() / 255
    low, high = jpeg_point(image, 10), jpeg_point(image, 90)
    assert low['bpp'] == pytest.approx(8 * low['num_bytes'] / 128 ** 2)
    assert low['bpp'] < high['bpp'] and low['psnr'] < high['psnr']
    curve = jpeg_curve([image], qualities=(10, 90))
    middle = (low['bpp'] + high['bpp']) / 2
    assert interpolate_at_bpp(curve, middle, 'psnr') == pytest.approx(
        (low['psnr'] + high['psnr']) / 2)
    assert math.isnan(interpolate_at_bpp(curve, 100.0, 'psnr'))
