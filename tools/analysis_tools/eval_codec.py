"""Rate-distortion of learned codecs on a folder of images, next to JPEG (Pillow).

    python tools/analysis_tools/eval_codec.py CODEC_CKPT [CODEC_CKPT ...] \
        --images data/photos/val --out work_dirs/rd [--size W H] [--codec-name NAME]

For every codec: per-image real bpp (``.cdi`` bytes), PSNR and MS-SSIM, their means, and
JPEG's PSNR / MS-SSIM interpolated at the codec's mean bpp on the same images (quality
sweep). Images are found recursively; ``--size`` resizes them first (as the training
pipeline's ``Resize``); ``--codec-name`` picks a codec inside task checkpoints (e.g.
``backbone.stem.codec`` of a joint training run; default: the outermost). Writes ``rd_per_image.csv``, ``rd_summary.csv`` and ``rd_curve.png``.
"""
import argparse
import csv
import os
import os.path as osp

import matplotlib
import numpy as np
import torch

from cdi_mm.apis import load_codec, read_image
from cdi_mm.codecs import compress_images, decompress_image
from cdi_mm.evaluation import interpolate_at_bpp, jpeg_curve, ms_ssim_any_size, psnr

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('codecs', nargs='+', help='codec checkpoints (meta["codecs"])')
    parser.add_argument('--images', required=True, help='folder of test images')
    parser.add_argument('--out', default='work_dirs/rd')
    parser.add_argument('--size', type=int, nargs=2, metavar=('W', 'H'), default=None,
                        help='resize every image to W x H first')
    parser.add_argument('--codec-name', default=None,
                        help='codec module name inside task checkpoints')
    return parser.parse_args()


def evaluate(codec, paths, root, size=None):
    rows = []
    for path in paths:
        image = read_image(path, size)
        data = compress_images(codec, image)[0]
        decoded = decompress_image(codec, data, reconstruct=True).image
        reference = image[0]
        rows.append(dict(image=osp.relpath(path, root),
                         bpp=8 * len(data) / reference[0].numel(),
                         psnr=psnr(decoded, reference),
                         ms_ssim=ms_ssim_any_size(decoded, reference)))
    return rows


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    paths = sorted(osp.join(root, f) for root, _, files in os.walk(args.images)
                   for f in files if f.lower().endswith(SUFFIXES))
    if not paths:
        raise FileNotFoundError(f'no images in {args.images}')
    jpeg = jpeg_curve([read_image(p, args.size)[0] for p in paths])
    per_image, summary = [], []
    for ckpt in args.codecs:
        codec = load_codec(ckpt, name=args.codec_name)
        name = osp.basename(osp.dirname(osp.abspath(ckpt))) or osp.basename(ckpt)
        with torch.no_grad():
            rows = evaluate(codec, paths, args.images, args.size)
        per_image += [dict(codec=name, **r) for r in rows]
        mean = {k: float(np.mean([r[k] for r in rows])) for k in ('bpp', 'psnr', 'ms_ssim')}
        summary.append(dict(codec=name, **mean,
                            jpeg_psnr_at_bpp=interpolate_at_bpp(jpeg, mean['bpp'], 'psnr'),
                            jpeg_ms_ssim_at_bpp=interpolate_at_bpp(jpeg, mean['bpp'],
                                                                   'ms_ssim')))
    for name, rows in (('rd_per_image.csv', per_image), ('rd_summary.csv', summary),
                       ('rd_jpeg.csv', jpeg)):
        with open(osp.join(args.out, name), 'w', newline='') as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key, label in ((axes[0], 'psnr', 'PSNR [dB]'), (axes[1], 'ms_ssim', 'MS-SSIM')):
        ax.plot([p['bpp'] for p in jpeg], [p[key] for p in jpeg], 'o-', label='JPEG (Pillow)')
        ax.plot([s['bpp'] for s in summary], [s[key] for s in summary], 's-',
                label='learned codec')
        ax.set_xlabel('bpp (real bytes)')
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f'Rate-distortion on {len(paths)} images of {args.images}')
    fig.tight_layout()
    fig.savefig(osp.join(args.out, 'rd_curve.png'), dpi=120)
    for s in summary:
        print(f"{s['codec']}: bpp {s['bpp']:.4f}  PSNR {s['psnr']:.2f} dB "
              f"(JPEG at same bpp {s['jpeg_psnr_at_bpp']:.2f})  MS-SSIM {s['ms_ssim']:.4f} "
              f"(JPEG {s['jpeg_ms_ssim_at_bpp']:.4f})")
    print(f'wrote {args.out}/rd_summary.csv, rd_per_image.csv, rd_jpeg.csv, rd_curve.png')


if __name__ == '__main__':
    main()
