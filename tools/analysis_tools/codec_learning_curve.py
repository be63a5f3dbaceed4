"""Learning curves of codec training runs: held-out bpp / PSNR / MS-SSIM
against iterations and training hours, next to JPEG (Pillow) at the same bpp.

    python tools/analysis_tools/codec_learning_curve.py RUN_DIR [RUN_DIR ...] \
        --images data/photos/val --out work_dirs/photo_codecs/learning_curve

Reads every ``*/vis_data/scalars.json`` of each run's work dir (one per start,
so resumed runs are stitched together; a later start wins for a repeated step).
Training hours are the logged seconds per iteration integrated over iterations
(wall time of the training loop, validation excluded). Writes ``OUT.csv`` and
``OUT.png``.
"""
import argparse
import csv
import glob
import json
import os
import os.path as osp

import matplotlib

from cdi_mm.apis import read_image
from cdi_mm.apis.cli import run_tool
from cdi_mm.evaluation import interpolate_at_bpp, pillow_curve

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def read_run(run_dir):
    """``(train, val)``: dicts step -> logged scalars, over every start of the
    run."""
    files = sorted(
        glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise FileNotFoundError(
            f'{run_dir}: no */vis_data/scalars.json (not an mmengine '
            'work dir, or nothing logged yet)')
    train, val = {}, {}
    for path in files:
        last_step = 0
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                entry = json.loads(line)
                if any(k.startswith('rd/') for k in entry):
                    # iteration-based runs log validation with step 0 (the
                    # epoch): it belongs to the last training iteration logged
                    # before it
                    val[last_step] = entry
                else:
                    train[entry['step']] = entry
                    last_step = entry['step']
    return train, val


def curve_rows(run_dir, jpeg):
    """One row per validation: step, training hours, held-out rate-distortion,
    JPEG."""
    train, val = read_run(run_dir)
    hours, previous, elapsed = {}, 0, 0.0
    for step in sorted(train):
        elapsed += train[step].get('time', 0.0) * (step - previous) / 3600
        hours[step], previous = elapsed, step
    rows = []
    for step in sorted(val):
        logged = [s for s in hours if s <= step]
        bpp = val[step]['rd/bpp']
        rows.append(
            dict(
                run=osp.basename(osp.normpath(run_dir)),
                iteration=step,
                train_hours=round(hours[max(logged)] if logged else 0.0, 4),
                bpp=bpp,
                psnr=val[step]['rd/psnr'],
                ms_ssim=val[step]['rd/ms_ssim'],
                lmbda=train[max(logged)].get('lmbda', '') if logged else '',
                jpeg_psnr_at_bpp=interpolate_at_bpp(jpeg, bpp, 'psnr'),
                jpeg_ms_ssim_at_bpp=interpolate_at_bpp(jpeg, bpp, 'ms_ssim')))
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'runs', nargs='+', help='work dirs of codec training runs')
    parser.add_argument(
        '--images',
        default='data/photos/val',
        help='the validation images (for the JPEG reference)')
    parser.add_argument('--out', default='work_dirs/learning_curve')
    args = parser.parse_args()
    paths = sorted(glob.glob(osp.join(args.images, '*.png')))
    if not paths:
        raise SystemExit(f'error: no PNG images in {args.images}')
    jpeg = pillow_curve([read_image(p)[0] for p in paths])
    rows = [row for run in args.runs for row in curve_rows(run, jpeg)]
    if not rows:
        raise SystemExit('error: no validation results logged yet')
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(f'{args.out}.csv', 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    for run in dict.fromkeys(r['run'] for r in rows):
        mine = [r for r in rows if r['run'] == run]
        hours = [r['train_hours'] for r in mine]
        line, = axes[0].plot(hours, [r['psnr'] for r in mine], 'o-', label=run)
        axes[0].plot(
            hours, [r['jpeg_psnr_at_bpp'] for r in mine],
            '--',
            color=line.get_color(),
            alpha=0.6)
        axes[1].plot(
            hours, [r['bpp'] for r in mine], 'o-', color=line.get_color())
        axes[2].plot([r['bpp'] for r in mine], [r['psnr'] for r in mine],
                     'o-',
                     color=line.get_color(),
                     alpha=0.7)
    axes[2].plot([p['bpp'] for p in jpeg], [p['psnr'] for p in jpeg],
                 'k^-',
                 label='JPEG (Pillow)')
    for ax, (x, y) in zip(
            axes, (('training hours', 'held-out PSNR [dB] (dashed: JPEG '
                    'at the same bpp)'), ('training hours', 'held-out bpp'),
                   ('bpp', 'PSNR [dB]'))):
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    axes[2].legend(fontsize=7)
    fig.suptitle(f'Codec learning curves on {len(paths)} held-out images '
                 f'({args.images})')
    fig.tight_layout()
    fig.savefig(f'{args.out}.png', dpi=110)
    for row in rows:
        print(f"{row['run']} it {row['iteration']} ({row['train_hours']:.2f} "
              f"h): {row['bpp']:.4f} bpp {row['psnr']:.2f} dB (JPEG "
              f"{row['jpeg_psnr_at_bpp']:.2f}) MS-SSIM {row['ms_ssim']:.4f} "
              f"(JPEG {row['jpeg_ms_ssim_at_bpp']:.4f})")
    print(f'wrote {args.out}.csv and {args.out}.png')


if __name__ == '__main__':
    run_tool(main)
