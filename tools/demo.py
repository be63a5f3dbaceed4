"""The main job on the embedded Fashion-MNIST data (what ``make demo`` runs).

Stages implemented so far:
  1. train the demo codec (torfason2018, C=8) with the mmengine Runner;
  2. evaluate it from real bitstreams (bpp from bytes, PSNR, MS-SSIM);
  3. encode the embedded data set to ``.cdi`` files (progress bar + storage report).
Stages of the full pipeline that are not implemented yet are listed in the table.
Outputs: ``WORK_DIR/results.md``, ``WORK_DIR/results.csv``.
"""
import argparse
import csv
import os
import os.path as osp
import time

from mmengine.config import Config
from mmengine.runner import Runner

from cdi_mm.apis import compress_dataset, format_report
from cdi_mm.datasets import EMBEDDED_ROOT

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CODEC_CONFIG = osp.join(REPO, 'configs', 'codec',
                        'torfason2018-n32_c8_ste_1xb32-600_fashion-mnist.py')
NOT_YET = 'not implemented yet'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--codec-iters', type=int, default=None,
                        help='override the codec training length (default: the config)')
    return parser.parse_args()


def banner(text):
    print(f'\n==== {text} ====', flush=True)


def train_codec(work_dir, iters):
    cfg = Config.fromfile(CODEC_CONFIG)
    cfg.work_dir = osp.join(work_dir, 'codec')
    if iters is not None:
        cfg.train_cfg.max_iters = cfg.train_cfg.val_interval = iters
        cfg.default_hooks.checkpoint.interval = iters
        cfg.param_scheduler.milestones = [int(iters * 2 / 3)]
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    checkpoint = osp.join(cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    return checkpoint, metrics


def write_table(work_dir, rows):
    header = list(rows[0])
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(str(r[h]) for h in header) + ' |' for r in rows]
    table = '\n'.join(lines)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(work_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return table


def main():
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    start = time.perf_counter()

    banner('1/3 training the demo codec (torfason2018, C=8, 64x64 Fashion-MNIST)')
    checkpoint, rd = train_codec(args.work_dir, args.codec_iters)

    banner('2/3 encoding the embedded data set to .cdi files')
    report = compress_dataset(checkpoint, EMBEDDED_ROOT,
                              osp.join(args.work_dir, 'fashion_mnist_cdi'), workers=2,
                              size=(64, 64))
    print(format_report(report))

    banner('3/3 results')
    rows = [dict(operating_point='C=8', bpp_real=f"{rd['rd/bpp']:.4f}",
                 psnr_db=f"{rd['rd/psnr']:.2f}", ms_ssim=f"{rd['rd/ms_ssim']:.4f}",
                 storage=f"{report['ratio']:.2f}x smaller than PNG",
                 top1_cresnet=NOT_YET, top1_resnet_decoded=NOT_YET, miou=NOT_YET)]
    print(write_table(args.work_dir, rows))
    print(f'\nNot implemented yet: classification on latents (cResNet vs ResNet on decoded '
          f'images), segmentation, joint training. Took {time.perf_counter() - start:.0f} s; '
          f'tables in {args.work_dir}/results.md and results.csv')


if __name__ == '__main__':
    main()
