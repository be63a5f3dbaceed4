"""Drive a sanitizer build of ``_tiled_rans`` with valid and hostile blobs.

    python tiled_rans_fuzz_driver.py BUILD_DIR CASES

Imports ``_tiled_rans`` from BUILD_DIR (built with AddressSanitizer and
UndefinedBehaviorSanitizer by ``test_tiled_sanitizer.py``), checks exact round
trips, then decodes CASES mutated, truncated and forged blobs, every other one
with the scalar decoder instead of the AVX2 one: each must decode or raise
ValueError; the sanitizers abort the process on any out-of-bounds
access or undefined behaviour. Needs numpy only.
"""
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import _tiled_rans as tr  # noqa: E402

rng = np.random.default_rng(0)
C, H, W, L = 6, 13, 17, 9
cdf = np.zeros((C, L + 2), np.int32)
for c in range(C):
    freq = np.maximum(1, (rng.dirichlet(np.ones(L + 1) * 0.4) *
                          (1 << 16)).astype(np.int64))
    freq[-1] = 3  # the escape
    freq[freq.argmax()] += (1 << 16) - freq.sum()
    cdf[c, 1:] = np.cumsum(freq)
lengths = np.full(C, L + 2, np.int32)
offsets = np.full(C, -2, np.int32)
rows = np.arange(C, dtype=np.int32)
slots = np.zeros((C + 1, 4096), np.uint16)
packed = np.empty(cdf.shape, np.uint32)
buckets = np.empty((C, 4096), np.uint32)
tr.build_tables(cdf, cdf.shape[1], lengths, 16, slots, packed, buckets)
values = rng.integers(-2, L - 2, (C, H, W)).astype(np.int32)
values[0, 0, 0], values[2, 5, 7] = 300, -77


def decode(blob, side, window=(0, 0, H, W), flip=False, out_hw=(H, W)):
    out = np.full((C, *out_hw), -32768, np.int16)
    tr.decode_tiles(blob, C, H, W, side, rows, cdf, cdf.shape[1], lengths,
                    offsets, 16, slots, packed, buckets, 1e-3, -32767, 32767,
                    *window, flip, out, *out_hw)
    return out


blobs = {}
for side in (1, 4, 5, 17):
    blobs[side] = tr.encode_tiles(values, C, H, W, side, rows, cdf,
                                  cdf.shape[1], lengths, offsets, 16)
    for simd in (True, False):
        tr.set_simd(simd)
        assert np.array_equal(decode(blobs[side], side), values)
refused = 0
for case in range(int(sys.argv[2])):
    side = list(blobs)[case % len(blobs)]
    blob = bytearray(blobs[side])
    kind = case % 3
    if kind == 0:
        for _ in range(rng.integers(1, 4)):
            blob[rng.integers(len(blob))] = rng.integers(256)
    elif kind == 1:
        blob = blob[:rng.integers(len(blob) + 1)]
    else:
        blob = bytearray(
            rng.integers(0, 256, rng.integers(0, 300),
                         dtype=np.uint8).tobytes())
    y0, x0 = int(rng.integers(H)), int(rng.integers(W))
    window = (y0, x0, int(rng.integers(1, H - y0 + 1)),
              int(rng.integers(1, W - x0 + 1)))
    tr.set_simd(case % 4 < 2)
    try:
        decode(bytes(blob), side, window, bool(case % 2), window[2:])
    except ValueError:
        refused += 1
print(f'ok: {sys.argv[2]} hostile blobs, {refused} refused')
