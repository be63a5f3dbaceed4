"""Rate-distortion of learned codecs on a folder of images, next to Pillow JPEG
and WebP.

    python tools/analysis_tools/eval_codec.py CODEC_CKPT [CODEC_CKPT ...] \
        --images data/photos/val --out work_dirs/rd [--size W H] \
        [--codec-name NAME]

For every codec: per-image real bpp (``.cdi`` bytes), PSNR and MS-SSIM, their
means, JPEG's and WebP's PSNR / MS-SSIM interpolated at the codec's mean bpp on
the same images (quality sweeps), and BD-rate (Bjontegaard, PSNR and MS-SSIM)
against both: per codec at its own operating point, and over all given codecs
as one curve when there are several (e.g. the three operating points). Images
are found recursively; ``--size`` resizes them first (as the training
pipeline's ``Resize``); ``--codec-name`` picks a codec inside task checkpoints
(e.g. ``backbone.stem.codec`` of a joint training run; default: the outermost).
Writes ``rd_per_image.csv`` (every codec and every reference quality on every
image), ``rd_summary.csv``, ``rd_references.csv`` and ``rd_curve.png``.
"""
import argparse
import csv
import os
import os.path as osp
import re

import matplotlib
import numpy as np
import torch

from cdi_mm.apis import IMAGE_SUFFIXES, load_codec, read_image
from cdi_mm.apis.cli import run_tool
from cdi_mm.codecs import compress_images, decompress_image
from cdi_mm.evaluation import (bd_rate, interpolate_at_bpp, mean_curve,
                               ms_ssim_any_size, pillow_points, psnr)

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

REFERENCES = ('JPEG', 'WEBP')
METRICS = ('psnr', 'ms_ssim')


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'codecs', nargs='+', help='codec checkpoints (meta["codecs"])')
    parser.add_argument(
        '--images', required=True, help='folder of test images')
    parser.add_argument('--out', default='work_dirs/rd')
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        metavar=('W', 'H'),
        default=None,
        help='resize every image to W x H first')
    parser.add_argument(
        '--codec-name',
        default=None,
        help='codec module name inside task checkpoints')
    return parser.parse_args()


def codec_label(ckpt):
    """File stem, prefixed by its folder for work-dir names like
    ``iter_6000.pth``."""
    stem = osp.splitext(osp.basename(ckpt))[0]
    if re.fullmatch(r'(iter|epoch)_\d+|latest|best.*', stem):
        return f'{osp.basename(osp.dirname(osp.abspath(ckpt)))}/{stem}'
    return stem


def evaluate(codec, images, names):
    rows = []
    for image, name in zip(images, names):
        data = compress_images(codec, image[None])[0]
        decoded = decompress_image(codec, data, reconstruct=True).image
        rows.append(
            dict(
                image=name,
                bpp=8 * len(data) / image[0].numel(),
                psnr=psnr(decoded, image),
                ms_ssim=ms_ssim_any_size(decoded, image)))
    return rows


def compare(point_or_curve, references):
    """Reference values at the codec's bpp and BD-rates against each
    reference."""
    out = {}
    for fmt, curve in references.items():
        name = fmt.lower()
        if len(point_or_curve) == 1:
            for key in METRICS:
                out[f'{name}_{key}_at_bpp'] = interpolate_at_bpp(
                    curve, point_or_curve[0]['bpp'], key)
        for key in METRICS:
            out[f'bd_rate_vs_{name}_{key}'] = bd_rate(curve, point_or_curve,
                                                      key)
    return out


def write_csv(path, rows):
    fields = list(dict.fromkeys(k for row in rows for k in row))
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def plot(path, references, summary, title):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, key, label in ((axes[0], 'psnr', 'PSNR [dB]'), (axes[1], 'ms_ssim',
                                                            'MS-SSIM')):
        for fmt, curve in references.items():
            ax.plot([p['bpp'] for p in curve], [p[key] for p in curve],
                    'o-',
                    ms=3,
                    label=f'{fmt} (Pillow)')
        ax.plot([s['bpp'] for s in summary], [s[key] for s in summary],
                's-',
                label='learned codec(s)')
        for s in summary:
            ax.annotate(
                s['codec'].split('/')[0][:28], (s['bpp'], s[key]), fontsize=6)
        ax.set_xlim(0, max(1.5 * max(s['bpp'] for s in summary), 0.5))
        ax.set_xlabel('bpp (real bytes)')
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    paths = sorted(
        osp.join(root, f) for root, _, files in os.walk(args.images)
        for f in files if f.lower().endswith(IMAGE_SUFFIXES))
    if not paths:
        raise SystemExit(
            f'error: no images ({", ".join(IMAGE_SUFFIXES)}) under '
            f'{args.images}')
    names = [osp.relpath(p, args.images) for p in paths]
    images = [read_image(p, args.size)[0] for p in paths]
    per_image, references = [], {}
    for fmt in REFERENCES:
        points = pillow_points(images, fmt)
        references[fmt] = mean_curve(points)
        per_image += [
            dict(
                codec=f'{fmt}-q{p["quality"]}',
                image=names[p['index']],
                **{k: p[k]
                   for k in ('bpp', *METRICS)}) for p in points
        ]
    summary = []
    for ckpt in args.codecs:
        codec = load_codec(ckpt, name=args.codec_name)
        label = codec_label(ckpt)
        with torch.no_grad():
            rows = evaluate(codec, images, names)
        per_image += [dict(codec=label, **r) for r in rows]
        mean = {
            k: float(np.mean([r[k] for r in rows]))
            for k in ('bpp', *METRICS)
        }
        summary.append(
            dict(codec=label, **mean, **compare([mean], references)))
    if len(summary) > 1:
        try:
            summary.append(
                dict(
                    codec='all given codecs as one curve',
                    **compare(summary, references)))
        # codecs whose quality does not grow with rate
        except ValueError as error:
            print(f'no BD-rate over all codecs: {error}')
    write_csv(osp.join(args.out, 'rd_per_image.csv'), per_image)
    write_csv(osp.join(args.out, 'rd_summary.csv'), summary)
    write_csv(
        osp.join(args.out, 'rd_references.csv'),
        [p for curve in references.values() for p in curve])
    plot(
        osp.join(args.out, 'rd_curve.png'), references,
        [s for s in summary if 'bpp' in s],
        f'Rate-distortion on {len(paths)} images of {args.images}')
    for s in summary:
        point = (
            f"bpp {s['bpp']:.4f}  PSNR {s['psnr']:.2f} dB (JPEG "
            f"{s['jpeg_psnr_at_bpp']:.2f}, WebP {s['webp_psnr_at_bpp']:.2f})  "
            f"MS-SSIM {s['ms_ssim']:.4f} (JPEG "
            f"{s['jpeg_ms_ssim_at_bpp']:.4f}, WebP "
            f"{s['webp_ms_ssim_at_bpp']:.4f})") if 'bpp' in s else ''
        print(f"{s['codec']}: {point}  BD-rate PSNR vs JPEG "
              f"{s['bd_rate_vs_jpeg_psnr']:+.1f}% vs WebP "
              f"{s['bd_rate_vs_webp_psnr']:+.1f}%; MS-SSIM vs JPEG "
              f"{s['bd_rate_vs_jpeg_ms_ssim']:+.1f}% vs WebP "
              f"{s['bd_rate_vs_webp_ms_ssim']:+.1f}%")
    print(f'wrote {args.out}/rd_summary.csv, rd_per_image.csv, '
          'rd_references.csv, rd_curve.png')


if __name__ == '__main__':
    run_tool(main)
