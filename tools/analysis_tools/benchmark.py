"""Compressed-domain inference side by side with decode-then-infer and JPEG.

    python tools/analysis_tools/benchmark.py [--codec CKPT] [--images DIR] \
        [--out work_dirs/bench] [--quick]

On the same batch of real photos at 224x224 (scikit-image's bundled photos, cropped and
tiled; any folder with ``--images``), in one process, paper widths, warm-up first,
median of repeated runs (``torch.utils.benchmark``), ``torch.inference_mode``:

* A: ``.cdi`` bytes -> entropy decoding -> cResNet-51 -> logits (no synthesis transform)
* B: ``.cdi`` bytes -> entropy decoding -> synthesis transform -> ResNet-50 -> logits
* C: JPEG bytes at the same bpp -> Pillow decoding -> ResNet-50 -> logits
* segmentation at 512x512: cResNet-51-d + ASPP on the latent vs decoding + ResNet-50-d8
  + ASPP;
* encoding (image -> ``.cdi``) and entropy decoding alone vs Pillow JPEG decoding;
* storage per image: ``.cdi`` vs JPEG (same bpp) vs PNG;
* growth: time and peak memory (RSS high-water mark) vs image size, batch 1.

The codec is the paper's ``torfason2018`` at C=32 (``--codec`` for a trained one; by
default random weights whose coding tables come from a warm-up on the photos: speed does
not depend on what the weights learned, only the bitrate does, and it is reported).
Writes ``benchmark.json``, ``benchmark.md`` and ``throughput_vs_size.png`` to ``--out``.
"""
import argparse
import io
import json
import os
import os.path as osp
import platform
import subprocess
import sys
import time

import matplotlib
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.registry import DefaultScope
from PIL import Image
from torch.utils.benchmark import Timer

from cdi_mm.apis import load_codec
from cdi_mm.codecs import (IMAGE_SUFFIXES, Torfason2018, codec_fingerprint,
                           compress_images, decompress_image)
from cdi_mm.datasets.photos import _skimage_photos
from cdi_mm.evaluation.complexity import codec_complexity, task_complexity

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

IMAGENET_MEAN = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1) / 255
IMAGENET_STD = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1) / 255


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--codec', help='trained torfason2018 checkpoint (meta["codecs"])')
    parser.add_argument(
        '--images', help='folder of photos (default: scikit-image photos)')
    parser.add_argument('--out', default='work_dirs/bench')
    parser.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 32])
    parser.add_argument(
        '--sizes', type=int, nargs='+', default=[224, 512, 1024])
    parser.add_argument(
        '--min-run-time',
        type=float,
        default=2.0,
        help='seconds of repeated runs per measurement (after warm-up)')
    parser.add_argument('--threads', type=int, default=os.cpu_count())
    parser.add_argument(
        '--peaks-only', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument(
        '--quick',
        action='store_true',
        help='batch 1 and 8, sizes 224 and 512, short runs (a smoke run)')
    return parser.parse_args()


# ----------------------------------------------------------------------------- data
def load_photos(folder):
    if folder is None:
        return [image for _, image in _skimage_photos()]
    return [
        np.asarray(Image.open(osp.join(root, f)).convert('RGB'))
        for root, _, files in sorted(os.walk(folder)) for f in sorted(files)
        if f.lower().endswith(IMAGE_SUFFIXES)
    ]


def crops(photos, size, count, seed=0):
    """``count`` size x size RGB crops (photos smaller than ``size`` are upscaled)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        image = Image.fromarray(photos[i % len(photos)])
        scale = size / min(image.size)
        if scale > 1:
            image = image.resize((round(image.width * scale) + 1,
                                  round(image.height * scale) + 1),
                                 Image.BICUBIC)
        x = rng.integers(0, image.width - size + 1)
        y = rng.integers(0, image.height - size + 1)
        out.append(np.asarray(image.crop((x, y, x + size, y + size))))
    return out


def to_tensor(arrays):
    return torch.from_numpy(np.stack(arrays)).permute(0, 3, 1,
                                                      2).float().div_(255)


def jpeg_at_bpp(arrays, bpp):
    """JPEG bytes of every image at the quality whose mean bpp is closest to ``bpp``."""

    def encode(quality):
        out = []
        for array in arrays:
            buffer = io.BytesIO()
            Image.fromarray(array).save(buffer, format='JPEG', quality=quality)
            out.append(buffer.getvalue())
        return out

    pixels = arrays[0].shape[0] * arrays[0].shape[1]
    best = min((abs(8 * np.mean([len(d)
                                 for d in encode(q)]) / pixels - bpp), q)
               for q in range(1, 96))
    return encode(best[1]), best[1]


def png_bytes(arrays):
    out = []
    for array in arrays:
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, format='PNG')
        out.append(buffer.getvalue())
    return out


# --------------------------------------------------------------------------- models
def build_codec(ckpt, photos):
    if ckpt:
        codec = load_codec(ckpt)
    else:  # paper widths; tables from the symbol histogram of the photos
        torch.manual_seed(0)
        codec = Torfason2018(channels=32).eval()
        quantizer = codec.quantizer
        with torch.no_grad():
            symbols = quantizer.symbols(
                codec.analysis(to_tensor(crops(photos, 224, 8, 1))))
        histogram = F.one_hot(symbols, quantizer.num_centers).float().mean(
            (0, 2, 3))
        quantizer.counts.copy_(histogram)
    codec.eval()
    codec.update(force=True)
    return codec


def build_classifiers(channels):
    from mmpretrain.registry import MODELS
    head = dict(type='LinearClsHead', num_classes=1000, in_channels=2048)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        latent = MODELS.build(
            dict(
                type='ImageClassifier',
                neck=dict(type='GlobalAveragePooling'),
                head=head,
                backbone=dict(type='CResNet', depth=51, in_channels=channels)))
        rgb = MODELS.build(
            dict(
                type='ImageClassifier',
                neck=dict(type='GlobalAveragePooling'),
                head=head,
                backbone=dict(type='ResNet', depth=50)))
    return latent.eval(), rgb.eval()


def build_segmenters(channels):
    """Backbone + the paper's DeepLab-v2 ASPP head (``ASPPV2Head``, rates 6/12/18/24
    for 512x512 crops) on the latent and on RGB."""
    from mmseg.registry import MODELS
    head = dict(
        type='ASPPV2Head',
        in_channels=2048,
        in_index=-1,
        dilations=(6, 12, 18, 24),
        num_classes=21,
        align_corners=False)
    with DefaultScope.overwrite_default_scope('mmseg'):
        pairs = []
        for backbone in (dict(
                type='CResNet',
                depth=51,
                in_channels=channels,
                strides=(1, 1, 1),
                dilations=(1, 2, 4)),
                         dict(
                             type='ResNetV1c',
                             depth=50,
                             strides=(1, 2, 1, 1),
                             dilations=(1, 1, 2, 4))):
            pair = (MODELS.build(backbone), MODELS.build(head))
            for module in pair:  # mmseg's ResNet.train() returns None: no chaining
                module.eval()
            pairs.append(pair)
    return pairs


# ---------------------------------------------------------------------- measurement
def median_seconds(fn, min_run_time):
    fn()  # warm-up
    return Timer(
        stmt='fn()', globals=dict(fn=fn)).blocked_autorange(
            min_run_time=min_run_time).median


def rss_mib(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float('nan')


def peak_rss_increase(fn):
    """Peak resident memory above the current one while ``fn`` runs (MiB; Linux).

    Meaningful in a process with ``MALLOC_MMAP_THRESHOLD_`` set (:func:`peaks_in_child`):
    large buffers are mmapped and returned to the system when freed, so the resident
    set follows the live tensors instead of keeping freed heap pages.
    """
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the high-water mark
    except OSError:
        return float('nan')
    before = rss_mib('VmRSS')
    fn()
    return rss_mib('VmHWM') - before


def peaks_in_child(args):
    """Peak memory of each path per image size, measured in a child process whose
    large buffers are mmapped (``MALLOC_MMAP_THRESHOLD_``), so that the resident set
    follows the live tensors; the timings run without it (mmap per buffer is slower)."""
    command = [
        sys.executable,
        osp.abspath(__file__), '--peaks-only', '--threads',
        str(args.threads), '--sizes', *map(str, args.sizes)
    ]
    if args.codec:
        command += ['--codec', args.codec]
    if args.images:
        command += ['--images', args.images]
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(1 << 20))
    out = subprocess.run(
        command, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_peaks(args):
    """The child of :func:`peaks_in_child`: prints ``{size: {A_peak_MiB: ...}}``."""
    torch.set_num_threads(args.threads)
    photos = load_photos(args.images)
    codec = build_codec(args.codec, photos)
    paths = Paths(codec, build_classifiers(codec.latent_channels), None)
    peaks = {}
    with torch.inference_mode():
        for size in args.sizes:
            peaks[size] = {}
            for name, fn, inputs in paths.growth_cases(photos, size):
                fn(inputs)  # warm-up: one-time allocations are not the path's
                peaks[size][f'{name}_peak_MiB'] = peak_rss_increase(
                    lambda: fn(inputs))
    print(json.dumps(peaks))


class _Segmenter(torch.nn.Module):

    def __init__(self, backbone, head):
        super().__init__()
        self.backbone, self.head = backbone, head

    def forward(self, x):
        return self.head(self.backbone(x))


def model_gflops(paths):
    """Multiply-adds (G, mmengine's count) of each path's networks: classification at
    224x224, segmentation at 512x512 (B includes the codec's synthesis transform)."""
    from mmengine.analysis import get_model_complexity_info
    codec, c = paths.codec, paths.codec.latent_channels
    out = dict(
        cls_A=task_complexity(paths.cls_latent)['flops'] / 1e9,
        cls_C=task_complexity(paths.cls_rgb)['flops'] / 1e9)
    out['cls_B'] = out['cls_C'] + codec_complexity(
        codec)['decoder_flops'] / 1e9
    for name, pair, shape in (('seg_A', paths.segmenters[0], (1, c, 64, 64)),
                              ('seg_B', paths.segmenters[1], (1, 3, 512,
                                                              512))):
        for part, module in (('', _Segmenter(*pair)), ('_backbone', pair[0])):
            out[name + part] = get_model_complexity_info(
                module,
                inputs=(torch.rand(shape), ),
                show_table=False,
                show_arch=False)['flops'] / 1e9
    decoder = codec_complexity(codec, (512, 512))['decoder_flops'] / 1e9
    out['seg_B'] += decoder
    out['seg_B_backbone'] += decoder
    return out


class Paths:
    """The three classification paths and the two segmentation paths as callables on
    lists of bytes."""

    def __init__(self, codec, classifiers, segmenters):
        self.codec = codec
        self.fingerprint = codec_fingerprint(codec)
        self.cls_latent, self.cls_rgb = classifiers
        self.segmenters = segmenters

    def entropy_decode(self, cdi):
        return torch.stack([
            decompress_image(self.codec, d,
                             fingerprint=self.fingerprint).latent for d in cdi
        ])

    @staticmethod
    def jpeg_decode(jpegs):
        return to_tensor([
            np.asarray(Image.open(io.BytesIO(d)).convert('RGB')) for d in jpegs
        ])

    @staticmethod
    def normalise(images):
        return (images - IMAGENET_MEAN) / IMAGENET_STD

    def a(self, cdi):
        return self.cls_latent(self.entropy_decode(cdi))

    def b(self, cdi):
        images = self.codec.synthesis(self.entropy_decode(cdi))
        return self.cls_rgb(self.normalise(images))

    def c(self, jpegs):
        return self.cls_rgb(self.normalise(self.jpeg_decode(jpegs)))

    def growth_cases(self, photos, size):
        """``(path name, callable, inputs)`` for one photo crop of ``size``."""
        big = crops(photos, size, 1, seed=size)
        data = compress_images(self.codec, to_tensor(big))
        jpeg, _ = jpeg_at_bpp(big, 8 * len(data[0]) / size**2)
        return (('A', self.a, data), ('B', self.b, data), ('C', self.c, jpeg))

    def _segment(self, pair, x, size):
        backbone, head = pair
        return F.interpolate(head(backbone(x)), size=size, mode='bilinear')

    def seg_a(self, cdi, size):
        return self._segment(self.segmenters[0], self.entropy_decode(cdi),
                             size)

    def seg_b(self, cdi, size):
        images = self.codec.synthesis(self.entropy_decode(cdi))
        return self._segment(self.segmenters[1], self.normalise(images), size)


def run(args):
    torch.set_num_threads(args.threads)
    photos = load_photos(args.images)
    codec = build_codec(args.codec, photos)
    paths = Paths(codec, build_classifiers(codec.latent_channels),
                  build_segmenters(codec.latent_channels))
    report = dict(
        machine=dict(
            platform=platform.platform(),
            cpu=_cpu_name(),
            threads=torch.get_num_threads(),
            torch=torch.__version__),
        codec=paths.fingerprint,
        classification=[],
        coding={},
        storage={},
        growth=[],
        segmentation={})
    count = max(args.batch_sizes)
    arrays = crops(photos, 224, count)
    images = to_tensor(arrays)
    cdi = compress_images(codec, images)
    bpp = 8 * np.mean([len(d) for d in cdi]) / 224**2
    jpegs, quality = jpeg_at_bpp(arrays, bpp)
    pngs = png_bytes(arrays)
    report['storage'] = {
        k: float(np.mean([len(d) for d in v]))
        for k, v in (('cdi', cdi), ('jpeg', jpegs), ('png', pngs))
    }
    report['storage'].update(
        cdi_bpp=float(bpp),
        jpeg_quality=quality,
        jpeg_bpp=8 * report['storage']['jpeg'] / 224**2)
    report['gflops'] = model_gflops(paths)
    print(f"GFLOPs (multiply-adds): {report['gflops']}", flush=True)
    print(
        f'codec {paths.fingerprint}: {bpp:.3f} bpp; JPEG q{quality} '
        f'{report["storage"]["jpeg_bpp"]:.3f} bpp',
        flush=True)

    with torch.inference_mode():
        for batch in args.batch_sizes:
            row = dict(batch=batch)
            for name, fn, data in (('A', paths.a, cdi), ('B', paths.b, cdi),
                                   ('C', paths.c, jpegs)):
                seconds = median_seconds(lambda: fn(data[:batch]),
                                         args.min_run_time)
                row[name] = batch / seconds
                print(
                    f'classification batch {batch} path {name}: {row[name]:.2f} images/s',
                    flush=True)
            row['A/B'], row['A/C'] = row['A'] / row['B'], row['A'] / row['C']
            report['classification'].append(row)

        n = len(cdi)
        coding = report['coding']
        coding['encode_images_per_s'] = 8 / median_seconds(
            lambda: compress_images(codec, images[:8]), args.min_run_time)
        seconds = median_seconds(lambda: paths.entropy_decode(cdi),
                                 args.min_run_time)
        coding['entropy_decode_images_per_s'] = n / seconds
        coding['entropy_decode_MB_per_s'] = sum(map(len, cdi)) / seconds / 1e6
        seconds = median_seconds(lambda: paths.jpeg_decode(jpegs),
                                 args.min_run_time)
        coding['jpeg_decode_images_per_s'] = n / seconds
        coding['jpeg_decode_MB_per_s'] = sum(map(len, jpegs)) / seconds / 1e6
        print(f'coding: {coding}', flush=True)

        peaks = peaks_in_child(args)
        for size in args.sizes:
            row = dict(size=size, **peaks[str(size)])
            for name, fn, inputs in paths.growth_cases(photos, size):
                row[f'{name}_ms'] = 1e3 * median_seconds(
                    lambda: fn(inputs), args.min_run_time / 2)
            report['growth'].append(row)
            print(f'growth: {row}', flush=True)

        seg_arrays = crops(photos, 512, 1, seed=512)
        seg_cdi = compress_images(codec, to_tensor(seg_arrays))
        seg = report['segmentation']
        for name, fn in (('A', paths.seg_a), ('B', paths.seg_b)):
            seg[f'{name}_ms'] = 1e3 * median_seconds(
                lambda: fn(seg_cdi, (512, 512)), args.min_run_time)
        seg['A/B'] = seg['B_ms'] / seg['A_ms']
        print(f'segmentation 512x512: {seg}', flush=True)
    return report


def _cpu_name():
    try:
        with open('/proc/cpuinfo') as f:
            return next(
                line.split(':', 1)[1].strip() for line in f
                if line.startswith('model name'))
    except (OSError, StopIteration):
        return platform.processor()


def markdown(report):
    g = report['gflops']
    lines = [
        f"Machine: {report['machine']['cpu']}, {report['machine']['threads']} threads, "
        f"torch {report['machine']['torch']}. Codec `{report['codec']}`.", '',
        f"GFLOPs (multiply-adds, mmengine) per image: classification at 224 A "
        f"{g['cls_A']:.2f}, B {g['cls_B']:.2f} (synthesis + ResNet-50), C "
        f"{g['cls_C']:.2f}; segmentation at 512 A {g['seg_A']:.1f}, B "
        f"{g['seg_B']:.1f}, of which the shared ASPP head "
        f"{g['seg_A'] - g['seg_A_backbone']:.1f} (without it: A {g['seg_A_backbone']:.1f},"
        f" B {g['seg_B_backbone']:.1f}).", '',
        '| batch | A: .cdi -> cResNet-51 (img/s) | B: .cdi -> decode -> ResNet-50 | '
        'C: JPEG -> ResNet-50 | A/B | A/C |', '|---|---|---|---|---|---|'
    ]
    for r in report['classification']:
        lines.append(
            f"| {r['batch']} | {r['A']:.2f} | {r['B']:.2f} | {r['C']:.2f} | "
            f"{r['A/B']:.2f}x | {r['A/C']:.2f}x |")
    seg = report['segmentation']
    lines += [
        '',
        f"Segmentation 512x512, batch 1: A (cResNet-51-d + ASPP on the latent) "
        f"{seg['A_ms']:.0f} ms, B (decode + ResNet-50-d8 + ASPP) {seg['B_ms']:.0f} ms, "
        f"A/B {seg['A/B']:.2f}x.", ''
    ]
    c, s = report['coding'], report['storage']
    lines += [
        '| coding | images/s | MB/s |', '|---|---|---|',
        f"| encode image -> .cdi | {c['encode_images_per_s']:.1f} | |",
        f"| entropy decoding (.cdi -> latent) | {c['entropy_decode_images_per_s']:.1f} "
        f"| {c['entropy_decode_MB_per_s']:.2f} |",
        f"| Pillow JPEG decoding (same bpp) | {c['jpeg_decode_images_per_s']:.1f} | "
        f"{c['jpeg_decode_MB_per_s']:.2f} |", '',
        f"Storage at 224x224, bytes per image: .cdi {s['cdi']:.0f} ({s['cdi_bpp']:.3f} "
        f"bpp), JPEG q{s['jpeg_quality']} {s['jpeg']:.0f} ({s['jpeg_bpp']:.3f} bpp), "
        f"PNG {s['png']:.0f}.", '',
        '| size | A ms | B ms | C ms | A peak MiB | B peak MiB | C peak MiB |',
        '|---|---|---|---|---|---|---|'
    ]
    for r in report['growth']:
        lines.append(
            f"| {r['size']} | {r['A_ms']:.1f} | {r['B_ms']:.1f} | {r['C_ms']:.1f} | "
            f"{r['A_peak_MiB']:.0f} | {r['B_peak_MiB']:.0f} | {r['C_peak_MiB']:.0f} |"
        )
    return '\n'.join(lines) + '\n'


def plot(report, path):
    sizes = [r['size'] for r in report['growth']]
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, label in (('A', 'A: .cdi -> cResNet-51'),
                        ('B', 'B: .cdi -> decode -> ResNet-50'),
                        ('C', 'C: JPEG -> ResNet-50')):
        ax.plot(
            sizes, [1e3 / r[f'{name}_ms'] for r in report['growth']],
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
        f"Throughput vs image size ({report['machine']['threads']} CPU threads)"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    args = parse_args()
    if args.quick:
        args.batch_sizes, args.sizes, args.min_run_time = [1, 8], [224,
                                                                   512], 0.5
    if args.peaks_only:
        return measure_peaks(args)
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
    print(
        f"wrote {args.out}/benchmark.json, benchmark.md, throughput_vs_size.png "
        f"({report['seconds']:.0f} s)")


if __name__ == '__main__':
    main()
