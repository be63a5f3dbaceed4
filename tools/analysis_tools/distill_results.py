"""Tables, learning curves and speeds of tools/experiments/distill_photos.sh.

    python tools/analysis_tools/distill_results.py WORK_DIR \
        [--out WORK_DIR/results] [--threads 1]

For every run folder ``<config>_<codec hash>_seed<k>`` of ``WORK_DIR``: the
agreement with the teacher on the held-out views (the teacher's top-1 among
the student's top-1 / top-5: ``accuracy/top1`` / ``top5`` of the last
validation, and of ``tools/test.py`` when it ran), the learning curves (KL
loss and held-out agreement against iterations), the rate the student needs
(bpp of the held-out ``.cdi`` files, real bytes), and images/s of each student
and of the teacher (eval mode, batch 32, ``--threads`` torch threads; for the
decoded-image twin, the codec's synthesis transform that makes its input is
timed too), and the ceiling of each rate: the teacher's agreement with itself
on the held-out views as the codec decodes them (``teacher_agreement``; when
the decoded views are there). Writes ``OUT.md``, ``OUT.json`` and
``OUT_curves.png``.
"""
import argparse
import glob
import json
import os
import os.path as osp
import re

import torch
from mmengine.config import Config

from cdi_mm.apis import init_model, teacher_agreement
from cdi_mm.apis.cli import run_tool
from cdi_mm.evaluation.run_records import (heldout_bpp, test_metric,
                                           train_curve, val_curve)
from cdi_mm.evaluation.throughput import cpu_name, median_seconds

CONFIG_DIR = 'configs/distill'
BATCH = 32


def _images_per_s(fn):
    return BATCH / median_seconds(fn, min_run_time=3.0)


def student_speed(config, channels):
    """Images/s of a student's forward pass on its own input (latent of
    ``channels`` x 28 x 28, or a 224 x 224 image when ``channels`` is 3)."""
    model = init_model(config).eval()
    side = 28 if channels != 3 else 224
    x = torch.randn(BATCH, channels, side, side)
    with torch.no_grad():
        return _images_per_s(lambda: model(x, mode='tensor'))


def teacher_speed(variant='lite2'):
    from cdi_mm.models import EfficientNetLiteTeacher
    teacher = EfficientNetLiteTeacher(variant)
    x = torch.rand(BATCH, 3, teacher.input_size, teacher.input_size) * 255
    return _images_per_s(lambda: teacher(x))


def synthesis_speed(codec_checkpoint, channels):
    from cdi_mm.codec_loading import load_codec
    codec = load_codec(codec_checkpoint)
    y = torch.randn(BATCH, channels, 28, 28)
    with torch.no_grad():
        return _images_per_s(lambda: codec.synthesis(y))


def runs(work_dir):
    pattern = re.compile(r'^(?P<config>.+)_(?P<hash>[0-9a-f]{8})_seed'
                         r'(?P<seed>\d+)$')
    for run_dir in sorted(glob.glob(osp.join(work_dir, '*'))):
        match = pattern.match(osp.basename(run_dir))
        if match and osp.isdir(run_dir):
            yield run_dir, match.groupdict()


def plot(rows, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax_loss, ax_agree) = plt.subplots(1, 2, figsize=(11, 4))
    for row in rows:
        its, losses = zip(*row['loss_curve']) if row['loss_curve'] else ([],
                                                                         [])
        ax_loss.plot(its, losses, label=row['network'])
        for key, style in (('top5', '-o'), ('top1', '--o')):
            curve = row[f'{key}_curve']
            if curve:
                its, values = zip(*curve)
                ax_agree.plot(
                    its, values, style, label=f"{row['network']} {key}")
    ax_loss.set(xlabel='iteration', ylabel='KL to the teacher (train)')
    ax_agree.set(
        xlabel='iteration', ylabel='agreement with the teacher, held out (%)')
    for ax in (ax_loss, ax_agree):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('work_dir')
    parser.add_argument('--out', default=None)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    if not osp.isdir(args.work_dir):
        raise FileNotFoundError(f'no such work dir: {args.work_dir}')
    torch.set_num_threads(args.threads)
    out = args.out or osp.join(args.work_dir, 'results')
    rows = []
    for run_dir, meta in runs(args.work_dir):
        config = osp.join(CONFIG_DIR, meta['config'] + '.py')
        cfg = Config.fromfile(config)
        latent = 'preencoded' in meta['config']
        channels = int(re.search(r'_c(\d+)-', meta['config']).group(1))
        heldout = cfg.val_dataloader.dataset.data_root.replace(
            'c32', f'c{channels}')
        top5, top1 = val_curve(run_dir, 'accuracy/top5'), val_curve(
            run_dir, 'accuracy/top1')
        row = dict(
            run=osp.basename(run_dir),
            network=('cResNet-51 on latents' if latent else
                     'ResNet-50 on decoded images') + f' (C={channels})' +
            (', SimKD head' if '-simkd_' in meta['config'] else ''),
            iterations=top5[-1][0] if top5 else 0,
            top1=top1[-1][1] if top1 else None,
            top5=top5[-1][1] if top5 else None,
            test_top1=test_metric(run_dir, 'accuracy/top1'),
            test_top5=test_metric(run_dir, 'accuracy/top5'),
            channels=channels,
            heldout=heldout,
            bpp=heldout_bpp(heldout.replace('-decoded', '')),
            # the KL to the teacher's logits (SimKD logs it beside its
            # feature loss)
            loss_curve=train_curve(run_dir, 'loss_kl') or train_curve(run_dir),
            top1_curve=top1,
            top5_curve=top5,
            images_per_s=student_speed(config, channels if latent else 3))
        if not latent:
            codec = glob.glob('checkpoints/factorized-prior-s8-n96_c'
                              f'{channels}_*{meta["hash"]}.pth')
            row['decoder_images_per_s'] = synthesis_speed(codec[0], channels)
        rows.append(row)
    ceilings = {}
    for row in rows:
        channels, latents = row['channels'], row['heldout'].replace(
            '-decoded', '')
        if channels not in ceilings and osp.isdir(f'{latents}-decoded'):
            ceilings[channels] = teacher_agreement(
                latents.replace(f'_c{channels}', ''), f'{latents}-decoded')
    teacher = teacher_speed()
    os.makedirs(osp.dirname(osp.abspath(out)) or '.', exist_ok=True)
    with open(f'{out}.json', 'w') as f:
        json.dump(
            dict(
                rows=rows,
                teacher_images_per_s=teacher,
                teacher_through_codec=ceilings,
                cpu=cpu_name(),
                threads=args.threads),
            f,
            indent=1)
    lines = [
        '| network | iterations | bpp (held out) | agreement top-1 | '
        'agreement top-5 | images/s |', '|---|---|---|---|---|---|'
    ]
    for row in rows:
        speed = f"{row['images_per_s']:.0f}"
        if 'decoder_images_per_s' in row:
            speed += f" (+ decoder {row['decoder_images_per_s']:.0f})"
        lines.append(
            f"| {row['network']} | {row['iterations']} | {row['bpp']:.3f} | "
            f"{row['top1']:.1f} | {row['top5']:.1f} | {speed} |")
    lines.append(f'| teacher EfficientNet-Lite2 (260 px RGB) | - | - | 100 | '
                 f'100 | {teacher:.0f} |')
    for channels, ceiling in sorted(ceilings.items()):
        lines.append(f'| teacher on the views decoded by the C={channels} '
                     f"codec (ceiling) | - | - | {ceiling['top1']:.1f} | "
                     f"{ceiling['top5']:.1f} | - |")
    table = '\n'.join(lines) + (
        f'\n\nimages/s: forward pass, batch {BATCH}, {args.threads} torch '
        f'thread(s), {cpu_name()} (noisy shared machine).\n')
    with open(f'{out}.md', 'w') as f:
        f.write(table)
    plot(rows, f'{out}_curves.png')
    print(table)


if __name__ == '__main__':
    run_tool(main)
