"""Timing and memory measurement for the benchmarks (``tools/analysis_tools``).

Timings are medians of repeated runs after a warm-up
(``torch.utils.benchmark``). Peak memory is the resident-set high-water mark
above the resident set before the call (Linux ``/proc``), taken in a child
process whose large buffers are mmapped (``MALLOC_MMAP_THRESHOLD_``): freed
tensors go back to the system there, so the resident set follows the live
tensors instead of keeping freed heap pages.
"""
import os
import platform
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from torch.utils.benchmark import Timer

__all__ = [
    'cpu_name', 'in_low_memory_child', 'median_seconds', 'peak_rss_increase'
]

#: Buffers from this size up are mmapped in :func:`in_low_memory_child` (1
#: MiB).
MMAP_THRESHOLD = 1 << 20


def median_seconds(fn, min_run_time):
    """Median seconds of ``fn()`` over repeated runs of at least
    ``min_run_time`` seconds in all, after one warm-up call."""
    fn()
    return Timer(
        stmt='fn()', globals=dict(fn=fn)).blocked_autorange(
            min_run_time=min_run_time).median


def _rss_mib(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float('nan')


def peak_rss_increase(fn):
    """Peak resident memory above the current one while ``fn()`` runs (MiB; NaN
    where ``/proc/self/clear_refs`` cannot reset the high-water mark).
    Meaningful inside :func:`in_low_memory_child`."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the high-water mark
    except OSError:
        return float('nan')
    before = _rss_mib('VmRSS')
    fn()
    return _rss_mib('VmHWM') - before


def in_low_memory_child(fn, *args):
    """``fn(*args)`` in a fresh (spawned) process with large buffers mmapped,
    for :func:`peak_rss_increase`; ``fn`` must be importable (module level) and
    its arguments and result picklable. The timings should run in the parent:
    an mmap per buffer is slower."""
    saved = os.environ.get('MALLOC_MMAP_THRESHOLD_')
    os.environ['MALLOC_MMAP_THRESHOLD_'] = str(MMAP_THRESHOLD)
    try:  # the child reads its malloc settings from the environment at start
        with ProcessPoolExecutor(1, mp_context=get_context('spawn')) as pool:
            future = pool.submit(fn, *args)
    finally:
        if saved is None:
            del os.environ['MALLOC_MMAP_THRESHOLD_']
        else:
            os.environ['MALLOC_MMAP_THRESHOLD_'] = saved
    return future.result()


def cpu_name():
    """The CPU model (``/proc/cpuinfo``; ``platform.processor()``
    elsewhere)."""
    try:
        with open('/proc/cpuinfo') as f:
            return next(
                line.split(':', 1)[1].strip() for line in f
                if line.startswith('model name'))
    except (OSError, StopIteration):
        return platform.processor()
