"""Compressed-domain inference side by side with decode-then-infer and JPEG.

    python tools/analysis_tools/benchmark.py [--codec CKPT] [--images DIR] \
        [--out work_dirs/bench] [--quick]

Every network is built from its config with ``init_model`` (the call users
make), at the paper's widths; only the codec stem is swapped for the part of it
a path runs on already entropy-decoded latents. On one batch of real photos at
224x224 (scikit-image's bundled photos, cropped; any folder with ``--images``),
in one process, warm-up first, median of repeated runs,
``torch.inference_mode``:

* A, ``cdi_to_cresnet``: ``.cdi`` bytes -> entropy decoding -> cResNet-51 ->
  logits (``configs/cresnet/cresnet51_c32_8xb32_in1k.py``; no synthesis
  transform);
* B, ``cdi_to_decoded_resnet``: ``.cdi`` bytes -> entropy decoding -> synthesis
  -> ResNet-50 -> logits
  (``configs/resnet_decoded/resnet50_c32-decoded_8xb32_in1k.py``);
* C, ``jpeg_to_resnet``: JPEG bytes at the same bpp -> Pillow decoding -> the
  same ResNet-50;
* segmentation at 512x512 (``--seg-size``), batch 1: the paper's DeepLab-v2
  head on cResNet-51-d from the latent vs decoding + ResNet-50-d8 (the two C=32
  VOC configs);
* encoding (image -> ``.cdi``) and entropy decoding alone vs Pillow JPEG
  decoding: ``.cdi`` version 2 to int16 symbols (what the loaders hand over;
  the model's data preprocessor maps them to latent values on its device) and
  to a float latent (``decompress_image``), version 1 to a float latent;
* storage per image: ``.cdi`` vs JPEG (same bpp) vs PNG;
* growth: time and peak memory of A, B, C vs image size, batch 1 (peaks in a
  child process, :func:`cdi_mm.evaluation.throughput.in_low_memory_child`).

The codec is the paper's ``torfason2018`` at C=32
(``configs/codec/torfason2018_c32_ste_1xb30-300k_in1k.py``); ``--codec`` takes
a trained one. By default its weights are random and its coding tables come
from the symbol histogram of the photos: speed does not depend on what the
weights learned, only the bitrate does, and it is reported. Writes
``benchmark.json``, ``benchmark.md`` and ``throughput_vs_size.png`` to
``--out``.
"""
import argparse
import json
import os
import os.path as osp
import platform
import time

import matplotlib
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config

from cdi_mm.apis import read_image
from cdi_mm.apis.cli import run_tool
from cdi_mm.apis.inference_paths import (PAPER_CONFIGS, InferencePaths, crops,
                                         png_bytes, to_tensor)
from cdi_mm.codecs import (IMAGE_SUFFIXES, build_codec, codec_checkpoint_dict,
                           compress_images, to_uint8_hwc)
from cdi_mm.data_builders import skimage_photos
from cdi_mm.evaluation import quality_at_bpp
from cdi_mm.evaluation.throughput import (cpu_name, in_low_memory_child,
                                          median_seconds, peak_rss_increase)

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--codec', help='trained codec checkpoint (meta["codecs"], C=32)')
    parser.add_argument(
        '--images', help='folder of photos (default: scikit-image photos)')
    parser.add_argument('--out', default='work_dirs/bench')
    parser.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 32])
    parser.add_argument(
        '--sizes', type=int, nargs='+', default=[224, 512, 1024])
    parser.add_argument('--seg-size', type=int, default=512)
    parser.add_argument(
        '--min-run-time',
        type=float,
        default=2.0,
        help='seconds of repeated runs per measurement (after warm-up)')
    parser.add_argument('--threads', type=int, default=os.cpu_count())
    parser.add_argument(
        '--quick',
        action='store_true',
        help='batch 1 and 8, sizes 224 and 512, short runs (a smoke run)')
    args = parser.parse_args(argv)
    if args.quick:
        args.batch_sizes, args.sizes, args.min_run_time = [1, 8], [224,
                                                                   512], 0.5
    return args


# -----------------------------------------------------------------------------
# data
def load_photos(folder):
    """``(H, W, 3)`` uint8 photos: scikit-image's, or every image under
    ``folder``."""
    if folder is None:
        return [image for _, image in skimage_photos()]
    return [
        to_uint8_hwc(read_image(osp.join(root, f))[0])
        for root, _, files in sorted(os.walk(folder)) for f in sorted(files)
        if f.lower().endswith(IMAGE_SUFFIXES)
    ]


def random_codec_checkpoint(photos, path):
    """The config's codec with random weights (seed 0) and coding tables from
    the symbol histogram of the photos, saved as a codec checkpoint at
    ``path``."""
    torch.manual_seed(0)
    config = Config.fromfile(osp.join(REPO, PAPER_CONFIGS['codec']))
    codec = build_codec(config.model.codec).eval()
    quantizer = codec.quantizer
    with torch.no_grad():
        symbols = quantizer.symbols(
            codec.analysis(to_tensor(crops(photos, 224, 8, 1))))
    quantizer.counts.copy_(
        F.one_hot(symbols, quantizer.num_centers).float().mean((0, 2, 3)))
    codec.update(force=True)
    torch.save(codec_checkpoint_dict(codec), path)
    return path


def measure_peaks(codec_checkpoint, images, sizes, threads):
    """Peak memory (MiB) of A, B, C per image size, batch 1, and the inputs
    measured (:meth:`InferencePaths.growth_inputs`, so the caller times the
    same ones); run in :func:`in_low_memory_child`."""
    torch.set_num_threads(threads)
    photos = load_photos(images)
    paths = InferencePaths(codec_checkpoint, REPO, segmentation=False)
    peaks, inputs = {}, {}
    with torch.inference_mode():
        for size in sizes:
            peaks[size], inputs[size] = {}, paths.growth_inputs(photos, size)
            for key, fn, kind in paths.classification():
                data = inputs[size][kind]
                fn(data)  # warm-up: one-time allocations are not the path's
                peaks[size][f'{key}_peak_MiB'] = peak_rss_increase(
                    lambda: fn(data))
    return peaks, inputs


# ----------------------------------------------------------------------
# measurement
def run(args):
    torch.set_num_threads(args.threads)
    photos = load_photos(args.images)
    codec_checkpoint = args.codec or random_codec_checkpoint(
        photos, osp.join(args.out, 'codec_random_weights_photo_tables.pth'))
    paths = InferencePaths(codec_checkpoint, REPO)
    report = dict(
        machine=dict(
            platform=platform.platform(),
            cpu=cpu_name(),
            threads=torch.get_num_threads(),
            torch=torch.__version__),
        codec=paths.fingerprint,
        configs=PAPER_CONFIGS,
        classification=[],
        coding={},
        storage={},
        growth=[],
        segmentation=dict(size=args.seg_size))
    arrays = crops(photos, 224, max(args.batch_sizes))
    images = to_tensor(arrays)
    data = dict(
        cdi=compress_images(paths.codec, images),
        cdi_v1=compress_images(paths.codec, images, tile_side=None))
    bpp = 8 * np.mean([len(d) for d in data['cdi']]) / 224**2
    quality, data['jpeg'] = quality_at_bpp(arrays, bpp)
    storage = report['storage']
    storage.update({
        k: float(np.mean([len(d) for d in v]))
        for k, v in (('cdi', data['cdi']), ('jpeg', data['jpeg']),
                     ('png', png_bytes(arrays)))
    })
    storage.update(
        cdi_bpp=float(bpp),
        jpeg_quality=quality,
        jpeg_bpp=8 * storage['jpeg'] / 224**2)
    report['gflops'] = paths.gflops(args.seg_size)
    print(f"GFLOPs (multiply-adds): {report['gflops']}", flush=True)
    print(
        f'codec {paths.fingerprint}: {bpp:.3f} bpp; JPEG q{quality} '
        f'{storage["jpeg_bpp"]:.3f} bpp',
        flush=True)

    with torch.inference_mode():
        for batch in args.batch_sizes:
            row = dict(batch=batch)
            for key, fn, kind in paths.classification():
                inputs = data[kind][:batch]
                row[key] = batch / median_seconds(lambda: fn(inputs),
                                                  args.min_run_time)
                print(
                    f'classification batch {batch} path {key} '
                    f'({fn.__name__}): {row[key]:.2f} images/s',
                    flush=True)
            row['A/B'], row['A/C'] = row['A'] / row['B'], row['A'] / row['C']
            report['classification'].append(row)

        coding, n = report['coding'], len(data['cdi'])
        coding['encode_images_per_s'] = 8 / median_seconds(
            lambda: compress_images(paths.codec, images[:8]),
            args.min_run_time)
        for key, fn, kind in (('entropy_decode_symbols',
                               paths.entropy_decode_symbols, 'cdi'),
                              ('entropy_decode', paths.entropy_decode, 'cdi'),
                              ('entropy_decode_v1', paths.entropy_decode,
                               'cdi_v1'), ('jpeg_decode', paths.jpeg_decode,
                                           'jpeg')):
            seconds = median_seconds(lambda: fn(data[kind]), args.min_run_time)
            coding[f'{key}_images_per_s'] = n / seconds
            coding[f'{key}_MB_per_s'] = sum(map(len,
                                                data[kind])) / seconds / 1e6
        print(f'coding: {coding}', flush=True)

        peaks, inputs = in_low_memory_child(measure_peaks, codec_checkpoint,
                                            args.images, args.sizes,
                                            args.threads)
        for size in args.sizes:
            row = dict(size=size, **peaks[size])
            for key, fn, kind in paths.classification():
                row[f'{key}_ms'] = 1e3 * median_seconds(
                    lambda: fn(inputs[size][kind]), args.min_run_time / 2)
            report['growth'].append(row)
            print(f'growth: {row}', flush=True)

        size = args.seg_size
        seg_cdi = compress_images(paths.codec,
                                  to_tensor(crops(photos, size, 1, seed=size)))
        seg = report['segmentation']
        for key, model in (('A', paths.seg_cresnet),
                           ('B', paths.seg_decoded_resnet)):
            seg[f'{key}_ms'] = 1e3 * median_seconds(
                lambda: paths.segment(model, seg_cdi,
                                      (size, size)), args.min_run_time)
        seg['A/B'] = seg['B_ms'] / seg['A_ms']
        print(f'segmentation {size}x{size}: {seg}', flush=True)
    return report


def markdown(report):
    g, seg = report['gflops'], report['segmentation']
    size = seg['size']
    lines = [
        f"Machine: {report['machine']['cpu']}, {report['machine']['threads']} "
        f"threads, torch {report['machine']['torch']}. Codec "
        f"`{report['codec']}`.", '',
        f"GFLOPs (multiply-adds, mmengine) per image: classification at 224 A "
        f"{g['cls_A']:.2f}, B {g['cls_B']:.2f} (synthesis + ResNet-50), C "
        f"{g['cls_C']:.2f}; segmentation at {size} A {g['seg_A']:.1f}, B "
        f"{g['seg_B']:.1f}, of which the head "
        f"{g['seg_A'] - g['seg_A_backbone']:.1f} (without it: A "
        f"{g['seg_A_backbone']:.1f}, B {g['seg_B_backbone']:.1f}).", '',
        '| batch | A: .cdi -> cResNet-51 (img/s) | B: .cdi -> decode -> '
        'ResNet-50 | C: JPEG -> ResNet-50 | A/B | A/C |',
        '|---|---|---|---|---|---|'
    ]
    for r in report['classification']:
        lines.append(
            f"| {r['batch']} | {r['A']:.2f} | {r['B']:.2f} | {r['C']:.2f} | "
            f"{r['A/B']:.2f}x | {r['A/C']:.2f}x |")
    lines += [
        '',
        f"Segmentation {size}x{size}, batch 1: A (cResNet-51-d + DeepLab-v2 "
        f"head on the latent) {seg['A_ms']:.0f} ms, B (decode + ResNet-50-d8 "
        f"+ the same head) {seg['B_ms']:.0f} ms, A/B {seg['A/B']:.2f}x.", ''
    ]
    c, s = report['coding'], report['storage']
    lines += [
        '| coding | images/s | MB/s |', '|---|---|---|',
        f"| encode image -> .cdi | {c['encode_images_per_s']:.1f} | |",
        "| entropy decoding (.cdi version 1 -> latent) | "
        f"{c['entropy_decode_v1_images_per_s']:.1f} | "
        f"{c['entropy_decode_v1_MB_per_s']:.2f} |",
        "| entropy decoding (.cdi version 2 -> latent) | "
        f"{c['entropy_decode_images_per_s']:.1f} | "
        f"{c['entropy_decode_MB_per_s']:.2f} |",
        "| entropy decoding (.cdi version 2 -> int16 symbols, as loaded) | "
        f"{c['entropy_decode_symbols_images_per_s']:.1f} | "
        f"{c['entropy_decode_symbols_MB_per_s']:.2f} |",
        "| Pillow JPEG decoding (same bpp) | "
        f"{c['jpeg_decode_images_per_s']:.1f} | "
        f"{c['jpeg_decode_MB_per_s']:.2f} |", '',
        f"Storage at 224x224, bytes per image: .cdi {s['cdi']:.0f} "
        f"({s['cdi_bpp']:.3f} bpp), JPEG q{s['jpeg_quality']} {s['jpeg']:.0f} "
        f"({s['jpeg_bpp']:.3f} bpp), PNG {s['png']:.0f}.", '',
        '| size | A ms | B ms | C ms | A peak MiB | B peak MiB | C peak MiB |',
        '|---|---|---|---|---|---|---|'
    ]
    for r in report['growth']:
        lines.append(
            f"| {r['size']} | {r['A_ms']:.1f} | {r['B_ms']:.1f} | "
            f"{r['C_ms']:.1f} | {r['A_peak_MiB']:.0f} | {r['B_peak_MiB']:.0f} "
            f"| {r['C_peak_MiB']:.0f} |")
    return '\n'.join(lines) + '\n'


def plot(report, path):
    sizes = [r['size'] for r in report['growth']]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, label in (('A', 'A: .cdi -> cResNet-51'),
                       ('B', 'B: .cdi -> decode -> ResNet-50'),
                       ('C', 'C: JPEG -> ResNet-50')):
        ax.plot(
            sizes, [1e3 / r[f'{key}_ms'] for r in report['growth']],
            'o-',
            label=label)
    ax.set_xscale('log', base=2)
    ax.set_yscale('log')
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.set_xlabel('image side (pixels), batch 1')
    ax.set_ylabel('images / s')
    ax.grid(alpha=0.3, which='both')
    ax.legend()
    ax.set_title(
        f"Throughput vs image size ({report['machine']['threads']} CPU "
        "threads)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    start = time.perf_counter()
    report = run(args)
    report['seconds'] = time.perf_counter() - start
    with open(osp.join(args.out, 'benchmark.json'), 'w') as f:
        json.dump(report, f, indent=2)
    table = markdown(report)
    with open(osp.join(args.out, 'benchmark.md'), 'w') as f:
        f.write(table)
    plot(report, osp.join(args.out, 'throughput_vs_size.png'))
    print(table)
    print(f"wrote {args.out}/benchmark.json, benchmark.md, "
          f"throughput_vs_size.png ({report['seconds']:.0f} s)")


if __name__ == '__main__':
    run_tool(main)
