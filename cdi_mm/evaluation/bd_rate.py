"""Bjontegaard delta rate (BD-rate) between two rate-distortion curves.

G. Bjontegaard, "Calculation of average PSNR differences between RD-curves",
VCEG-M33, 2001. Log-rate is interpolated as a function of quality with
piecewise cubic Hermite polynomials (as in the JVET common test conditions; the
original VCEG-M33 fits one cubic, which swings on long curves like a 15-point
JPEG sweep) and integrated over the quality range both curves cover.
"""
import math

import numpy as np
from scipy.interpolate import PchipInterpolator

__all__ = ['bd_rate']


def _log_rate_of_quality(curve, key):
    points = sorted((p[key], math.log(p['bpp'])) for p in curve)
    quality = np.array([q for q, _ in points])
    if np.any(np.diff(quality) <= 0):
        raise ValueError(
            f'BD-rate needs strictly increasing {key} along the curve; '
            f'got {quality.tolist()}')
    return quality, np.array([r for _, r in points])


def bd_rate(anchor, test, key='psnr'):
    """Average bitrate difference of ``test`` against ``anchor`` at equal
    quality, in %.

    Negative means ``test`` needs fewer bits for the same ``key`` (PSNR or
    MS-SSIM). A one-point ``test`` curve (a single codec at one operating
    point) gives the rate difference at its own quality: ``100 * (bpp /
    anchor_bpp_at_that_quality - 1)``.

    Args:
        anchor (list[dict]): points with ``'bpp'`` and ``key``; at least two.
        test (list[dict]): points with ``'bpp'`` and ``key``; at least one.
        key (str): quality measure, e.g. ``'psnr'`` or ``'ms_ssim'``.

    Returns:
        float: BD-rate in percent; NaN when the quality ranges do not overlap.
    """
    if len(anchor) < 2 or not test:
        raise ValueError(
            'BD-rate needs at least two anchor points and one test point')
    qa, ra = _log_rate_of_quality(anchor, key)
    anchor_fn = PchipInterpolator(qa, ra, extrapolate=False)
    if len(test) == 1:
        quality, log_rate = test[0][key], math.log(test[0]['bpp'])
        if not qa[0] <= quality <= qa[-1]:
            return float('nan')
        return 100 * (math.exp(log_rate - float(anchor_fn(quality))) - 1)
    qt, rt = _log_rate_of_quality(test, key)
    low, high = max(qa[0], qt[0]), min(qa[-1], qt[-1])
    if low >= high:
        return float('nan')
    test_fn = PchipInterpolator(qt, rt, extrapolate=False)
    mean_diff = (test_fn.integrate(low, high) -
                 anchor_fn.integrate(low, high)) / (
                     high - low)
    return 100 * (math.exp(mean_diff) - 1)
