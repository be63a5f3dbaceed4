import math

import pytest
import torch
from pytorch_msssim import ms_ssim

from cdi_mm.evaluation import (bd_rate, interpolate_at_bpp, ms_ssim_any_size,
                               pillow_curve, pillow_point, psnr)


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
    assert 1 > ms_ssim_any_size(small, light) > ms_ssim_any_size(small,
                                                                 heavy) > 0
    assert 0 < ms_ssim_any_size(a[:, :16, :16], b[:, :16, :16]) < 1


@pytest.mark.parametrize('fmt', ['JPEG', 'WEBP'])
def test_pillow_reference_points_and_interpolation(fmt):
    from skimage import data
    image = torch.from_numpy(data.astronaut()[:128, :128]).permute(
        2, 0, 1).float() / 255
    low, high = pillow_point(image, 10, fmt), pillow_point(image, 90, fmt)
    assert low['bpp'] == pytest.approx(8 * low['num_bytes'] / 128**2)
    assert low['bpp'] < high['bpp'] and low['psnr'] < high['psnr']
    curve = pillow_curve([image, image], fmt, qualities=(10, 90))
    assert [p['quality'] for p in curve] == [10, 90]
    assert curve[0]['bpp'] == pytest.approx(low['bpp'])
    middle = (low['bpp'] + high['bpp']) / 2
    assert interpolate_at_bpp(curve, middle, 'psnr') == pytest.approx(
        (low['psnr'] + high['psnr']) / 2)
    assert math.isnan(interpolate_at_bpp(curve, 100.0, 'psnr'))
    with pytest.raises(ValueError, match='format must be one of'):
        pillow_point(image, 10, 'GIF')


def _curve(log_rate, qualities):
    return [dict(bpp=math.exp(log_rate(q)), psnr=q) for q in qualities]


def test_bd_rate_hand_computed_cases():
    anchor = _curve(lambda q: q / 10, [0, 2.5, 5, 7.5, 10])
    # the same qualities at 0.8x the bits: -20% everywhere
    same_shape = [dict(bpp=0.8 * p['bpp'], psnr=p['psnr']) for p in anchor]
    assert bd_rate(anchor, same_shape) == pytest.approx(-20.0)
    # log-rate difference q/10 - 0.5 averaged over the overlap [2, 10] only:
    # mean 0.1
    steeper = _curve(lambda q: q / 5 - 0.5, [2, 4, 6, 8, 10, 12])
    assert bd_rate(anchor, steeper) == pytest.approx(100 * (math.exp(0.1) - 1))
    # over the full [0, 10] the same difference averages to zero
    assert bd_rate(anchor, _curve(lambda q: q / 5 - 0.5,
                                  [0, 5, 10])) == pytest.approx(0.0)
    # one operating point: the rate difference at its own quality
    assert bd_rate(
        anchor,
        [dict(bpp=0.5 * math.exp(0.5), psnr=5)]) == pytest.approx(-50.0)


def test_bd_rate_edge_cases():
    anchor = _curve(lambda q: q / 10, [0, 5, 10])
    assert math.isnan(bd_rate(anchor, _curve(lambda q: q / 10, [20, 30])))
    assert math.isnan(bd_rate(anchor, [dict(bpp=1.0, psnr=40)]))
    with pytest.raises(ValueError, match='strictly increasing'):
        bd_rate(anchor, [dict(bpp=1.0, psnr=5), dict(bpp=2.0, psnr=5)])
    with pytest.raises(ValueError, match='at least two anchor points'):
        bd_rate(anchor[:1], anchor)
    assert bd_rate(anchor, anchor, key='psnr') == pytest.approx(0.0)
