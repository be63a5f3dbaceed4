"""The benchmarks' measuring helpers: medians, peak memory in a child, JPEG at
a bpp."""
import os

import numpy as np
import pytest

from cdi_mm.evaluation import pillow_bytes, quality_at_bpp
from cdi_mm.evaluation.throughput import (MMAP_THRESHOLD, cpu_name,
                                          in_low_memory_child, median_seconds,
                                          peak_rss_increase)


def _allocate_and_measure(mib):
    """Run in the child: its malloc setting and the peak of a ``mib`` MiB
    buffer."""
    return os.environ.get('MALLOC_MMAP_THRESHOLD_'), peak_rss_increase(
        lambda: np.ones(mib << 18, np.float32))


@pytest.mark.skipif(
    not os.path.exists('/proc/self/clear_refs'), reason='Linux /proc')
def test_peak_memory_is_measured_in_a_child_with_mmapped_buffers():
    before = os.environ.get('MALLOC_MMAP_THRESHOLD_')
    setting, peak = in_low_memory_child(_allocate_and_measure, 64)
    assert setting == str(MMAP_THRESHOLD)
    assert 60 <= peak <= 80  # the 64 MiB buffer, little else
    assert os.environ.get('MALLOC_MMAP_THRESHOLD_') == before  # restored here


def test_median_seconds_and_cpu_name():
    calls = []
    seconds = median_seconds(lambda: calls.append(1), 0.01)
    assert 0 < seconds < 0.01 and len(calls) > 1  # warm-up + repeated runs
    assert isinstance(cpu_name(), str)


def test_quality_at_bpp_is_the_closest_setting():
    rng = np.random.default_rng(0)
    smooth = np.cumsum(rng.integers(0, 3, (2, 64, 64, 3)), axis=2)
    arrays = [a.astype(np.uint8) for a in smooth % 256]

    def bpp(quality):
        return 8 * np.mean([len(pillow_bytes(a, quality))
                            for a in arrays]) / 64**2

    rates = {q: bpp(q) for q in range(1, 96)}
    for target in (rates[50] + 0.01, rates[87] - 0.02, 0.0, 100.0):
        quality, data = quality_at_bpp(arrays, target)
        assert data == [pillow_bytes(a, quality) for a in arrays]
        # the same answer as trying every setting
        assert quality == min(rates, key=lambda q: abs(rates[q] - target))
    assert quality_at_bpp(arrays, 0.0)[0] == 1
    assert quality_at_bpp(arrays, 100.0)[0] == 95
    with pytest.raises(ValueError, match='format must be one of'):
        pillow_bytes(arrays[0], 50, 'GIF')
