"""Forge and mutate ``.cdi`` files of real codecs and check that reading them
only ever raises ``BitstreamError``, within a stated peak memory and time.

    python tools/analysis_tools/fuzz_cdi.py CODEC_CKPT [CODEC_CKPT ...] \
        [--cases 2000] [--seed 0] [--out work_dirs/fuzz_cdi.json]

Per codec, ``--cases`` files in four kinds, a quarter each (seeded, so a run
is reproducible): random bytes; a valid file of a photo crop with bytes
changed, cut and appended; a valid header (CRC and fingerprint right) over a
random payload, declaring a random image size up to 4096 x 4096; the same
declaring sizes up to 65,535 x 65,535 (headers an honest writer refuses,
forged with the writer's limits lifted). Each is read by ``decompress_image``
(entropy decoding) and by ``LoadLatentSymbols``'s path (``record_symbols`` with
a random window and flip) where the codec has symbol tables. Any other
exception, a decode of a mutated file to anything but the original, or a case
slower than 10 s fails the run (exit status 1). Reported per codec: cases,
refusals, decodes, slowest case, and the process's peak resident memory
(``ru_maxrss``) before and after.
"""
import argparse
import contextlib
import json
import os
import os.path as osp
import resource
import time

import numpy as np
import torch

from cdi_mm.apis.cli import run_tool
from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import (BitstreamError, CdiRecord, bitstream,
                           compress_images, decompress_image, pack,
                           read_record, record_symbols, tiled_coder, unpack)
from cdi_mm.codecs.coding import latent_shape


def _peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _valid_file(codec):
    from skimage import data
    photo = torch.from_numpy(data.astronaut()[64:256, 96:320]).permute(2, 0, 1)
    return compress_images(codec, photo.float()[None] / 255)[0]


def _case(kind, rng, codec, valid, fingerprint):
    if kind == 'random':
        return rng.bytes(int(rng.integers(0, 2000)))
    if kind == 'mutated':
        data = bytearray(valid)
        for _ in range(int(rng.integers(1, 5))):
            data[int(rng.integers(len(data)))] = int(rng.integers(256))
        cut = int(rng.integers(len(data) + 1))
        return bytes(data[:cut]) + rng.bytes(int(rng.integers(0, 9)))
    limit = 4096 if kind == 'forged' else 1 << 16
    height, width = (int(v) for v in rng.integers(1, limit, 2))
    shape = latent_shape(codec, height, width)
    tile = 0 if kind == 'forged' and rng.random() < 0.5 else int(
        rng.choice([8, 16, 32]))
    if tile and tiled_coder(codec) is None:
        tile = 0
    strings = [rng.bytes(int(rng.integers(0, 4000)))]
    if not tile:
        strings *= getattr(codec, 'num_streams', 1)
    record = CdiRecord(fingerprint, shape, (height, width), strings, tile)
    try:
        with _writer_limits_lifted():  # forge what an honest writer refuses
            return pack(record)
    except BitstreamError:  # what the format itself cannot hold
        return None


@contextlib.contextmanager
def _writer_limits_lifted():
    names = ('MAX_IMAGE_PIXELS', 'MAX_LATENT_ELEMENTS', 'MAX_TILE_SYMBOLS')
    saved = {name: getattr(bitstream, name) for name in names}
    try:
        for name in names:
            setattr(bitstream, name, 1 << 40)
        yield
    finally:
        for name, value in saved.items():
            setattr(bitstream, name, value)


def fuzz(checkpoint, cases, seed):
    """Fuzz one codec; returns the report dict."""
    codec = load_codec(checkpoint).eval()
    valid = _valid_file(codec)
    fingerprint = unpack(valid).fingerprint
    original = decompress_image(codec, valid).latent
    coder = tiled_coder(codec)
    rng = np.random.default_rng([seed, len(checkpoint)])
    kinds = ['random', 'mutated', 'forged', 'forged-large']
    counts = dict(cases=0, refused=0, decoded=0, unforgeable=0)
    failures, slowest = [], 0.0
    peak_before = _peak_mib()
    for i in range(cases):
        kind = kinds[i % 4]
        data = _case(kind, rng, codec, valid, fingerprint)
        if data is None:
            counts['unforgeable'] += 1
            continue
        counts['cases'] += 1
        start = time.perf_counter()
        try:
            decoded = decompress_image(codec, data)
            if kind == 'mutated' and data != valid:
                failures.append(f'case {i}: a mutated file decoded')
            elif kind == 'mutated' and not torch.equal(decoded.latent,
                                                       original):
                failures.append(f'case {i}: the valid file decoded wrong')
            if coder is not None:
                record = read_record(codec, data)
                _, h, w = record.latent_shape
                y, x = (int(rng.integers(0, v)) for v in (h, w))
                record_symbols(codec, record, (y, x, h - y, w - x),
                               bool(rng.random() < 0.5), (h - y, w - x))
            counts['decoded'] += 1
        except BitstreamError:
            counts['refused'] += 1
        except Exception as exc:  # noqa: BLE001  the finding to report
            failures.append(f'case {i} ({kind}): {type(exc).__name__}: {exc}')
        elapsed = time.perf_counter() - start
        slowest = max(slowest, elapsed)
        if elapsed > 10:
            failures.append(f'case {i} ({kind}): {elapsed:.1f} s')
    return dict(
        codec=osp.basename(checkpoint),
        **counts,
        slowest_case_s=round(slowest, 4),
        peak_rss_mib_before=round(peak_before, 1),
        peak_rss_mib_after=round(_peak_mib(), 1),
        failures=failures[:20])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('codecs', nargs='+', help='codec checkpoints')
    parser.add_argument('--cases', type=int, default=2000)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default='work_dirs/fuzz_cdi.json')
    args = parser.parse_args()
    for checkpoint in args.codecs:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'{checkpoint}: no such codec checkpoint')
    reports = []
    for checkpoint in args.codecs:
        report = fuzz(checkpoint, args.cases, args.seed)
        reports.append(report)
        print(json.dumps(report))
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(reports, f, indent=1)
    if any(r['failures'] for r in reports):
        raise SystemExit(1)


if __name__ == '__main__':
    run_tool(main)
