"""The main job on the embedded Fashion-MNIST data (what ``make demo`` runs).

Stages:
  1. build the fashion-scenes set (2,000 train / 100 val scenes), train the
     demo codec (torfason2018, C=8) on the garments and on scene crops with
     the mmengine Runner and evaluate it from real bitstreams (bpp from bytes,
     PSNR, MS-SSIM);
  2. encode the embedded data set to ``.cdi`` files (progress bar + storage
     report);
  3. train and evaluate cResNet-39 on the pre-encoded latents;
  4. train and evaluate ResNet-50 on the decoded images (decode, then
     classify);
  5. encode the fashion scenes, train DeepLab-v2 on the dilated cResNet-39-d
     initialised from the stage-3 classifier, evaluate it from the
     pre-encoded latents (mIoU, foreground IoU) and draw val scenes with their
     ground truth and prediction (``segmentation_overlay.png``).
The table has one row per model: real bpp, PSNR / MS-SSIM (codec), top-1 /
mIoU, the task network's GFLOPs at the demo's 64x64 input (multiply-adds,
mmengine count; the decoded baseline adds the codec's decoder) and the images/s
of its test loop (data loading included: entropy decoding for latents, decoding
+ synthesis for the baseline). Outputs: ``WORK_DIR/results.md``,
``results.csv``, ``rate_accuracy.png`` and ``segmentation_overlay.png``. Joint
training is a separate command (``configs/joint/README.md``).
"""
import argparse
import csv
import functools
import os
import os.path as osp
import time

import matplotlib
from mmengine.config import Config
from mmengine.runner import Runner, find_latest_checkpoint

from cdi_mm.apis import (compress_dataset, format_report, init_model,
                         segmentation_grid, set_codec_checkpoint)
from cdi_mm.data_builders import write_fashion_scenes
from cdi_mm.datasets import EMBEDDED_ROOT
from cdi_mm.evaluation.complexity import codec_complexity, task_complexity

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    codec=
    'configs/codec/torfason2018-n32_c8_ste_1xb32-1200_fashion-mnist-and-scenes.py',  # noqa: E501
    cresnet=
    'configs/cresnet/cresnet39-w32_c8-preencoded_1xb32-2k_fashion-mnist.py',
    resnet=
    'configs/resnet_decoded/resnet50-w16_c8-decoded_1xb32-2k_fashion-mnist.py',
    segmenter=
    'configs/deeplab/deeplabv2_cresnet39-w32-d8_c8-preencoded_1xb8-2k_fashion-scenes-128x128.py'  # noqa: E501
)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument(
        '--iters',
        type=int,
        default=None,
        help='override every training length (default: the configs)')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='random seed of every stage (mmengine `randomness.seed`), so '
        'that a run repeats on the same machine')
    return parser.parse_args()


def banner(text):
    print(f'\n==== {text} ====', flush=True)


def use_latent_root(cfg, latent_root):
    """Make the config's data loaders read the latent data set of this run."""
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[name].dataset
        if str(dataset.data_root).endswith('_c8'):
            dataset.data_root = latent_root


def train_and_test(name,
                   *,
                   work_dir,
                   iters,
                   seed,
                   checkpoint=None,
                   latent_root=None,
                   options=None):
    cfg = Config.fromfile(osp.join(REPO, CONFIGS[name]))
    cfg.work_dir = osp.join(work_dir, name)
    cfg.randomness = dict(seed=seed)
    if options:
        cfg.merge_from_dict(options)
    if iters is not None:
        cfg.train_cfg.max_iters = cfg.train_cfg.val_interval = iters
        cfg.default_hooks.checkpoint.interval = iters
        cfg.param_scheduler = []
    if checkpoint is not None:
        set_codec_checkpoint(cfg, checkpoint)
        use_latent_root(cfg, latent_root)
    runner = Runner.from_cfg(cfg)
    runner.train()
    start = time.perf_counter()
    metrics = runner.test()
    metrics['images_per_s'] = len(runner.test_dataloader.dataset) / (
        time.perf_counter() - start)
    return find_latest_checkpoint(cfg.work_dir), metrics, cfg


def gflops(model, size=(64, 64)):
    """Multiply-adds (G) of a classifier's task network at ``size``; for a
    decoded baseline the codec's decoder is added."""
    flops = task_complexity(model, size)['flops']
    stem = getattr(model.backbone, 'stem', None)
    if stem is not None and stem.output == 'reconstruction':
        flops += codec_complexity(stem.codec, size)['decoder_flops']
    return flops / 1e9


def plot_rate_accuracy(work_dir, rows):
    """Top-1 against real bpp for the classifiers of the table."""
    fig, ax = plt.subplots(figsize=(5, 4))
    for row, marker in zip((r for r in rows if r['metric'] == 'top-1'),
                           'os^v'):
        ax.plot(
            float(row['bpp_real']),
            float(row['value']),
            marker,
            markersize=9,
            label=f"{row['model']} ({row['input']})")
    ax.set_xlabel('bpp (real .cdi bytes)')
    ax.set_ylabel('top-1 (%), Fashion-MNIST test, 1000 images')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title('Rate-accuracy, demo operating point C=8')
    fig.tight_layout()
    path = osp.join(work_dir, 'rate_accuracy.png')
    fig.savefig(path, dpi=120)
    return path


def write_table(work_dir, rows):
    header = list(rows[0])
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += [
        '| ' + ' | '.join(str(r[h]) for h in header) + ' |' for r in rows
    ]
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

    banner('1/5 training the demo codec (torfason2018, C=8) on 64x64 '
           'Fashion-MNIST garments and fashion-scene crops')
    scenes = osp.join(args.work_dir, 'fashion_scenes')
    print(
        write_fashion_scenes(scenes, num_train=2000), 'scenes written to',
        scenes)
    stage = functools.partial(
        train_and_test,
        work_dir=args.work_dir,
        iters=args.iters,
        seed=args.seed)
    codec_ckpt, rd, _ = stage(
        'codec',
        options={'train_dataloader.dataset.datasets.1.data_root': scenes})

    banner('2/5 encoding the embedded data set to .cdi files (64x64)')
    latent_root = osp.join(args.work_dir, 'fashion_mnist_c8')
    report = compress_dataset(
        codec_ckpt, EMBEDDED_ROOT, latent_root, workers=2, size=(64, 64))
    print(format_report(report))

    banner('3/5 cResNet-39 on the pre-encoded latents (no decoding)')
    cresnet_ckpt, cresnet, cresnet_cfg = stage(
        'cresnet', checkpoint=codec_ckpt, latent_root=latent_root)

    banner('4/5 ResNet-50 on the decoded images (decode, then classify)')
    resnet_ckpt, resnet, resnet_cfg = stage(
        'resnet', checkpoint=codec_ckpt, latent_root=latent_root)

    banner(
        '5/5 DeepLab-v2 on cResNet-39-d (from the classifier) on pre-encoded '
        'fashion-scene latents')
    scenes_c8 = osp.join(args.work_dir, 'fashion_scenes_c8')
    scene_report = compress_dataset(codec_ckpt, scenes, scenes_c8, workers=2)
    scene_pixels = 128 * 128 * scene_report['images']
    print(format_report(scene_report))
    seg_ckpt, seg, seg_cfg = stage(
        'segmenter',
        checkpoint=codec_ckpt,
        latent_root=scenes_c8,
        options={'model.backbone.init_cfg.checkpoint': cresnet_ckpt})
    overlay = segmentation_grid(
        scenes, [('prediction (latent)', init_model(seg_cfg, seg_ckpt))],
        osp.join(args.work_dir, 'segmentation_overlay.png'))
    print(
        f'segmentation overlays (scene | ground truth | prediction): {overlay}'
    )

    banner('results (embedded Fashion-MNIST test split, 1000 images, 64x64; '
           'fashion scenes val, 100 scenes, 128x128)')
    bpp = f"{rd['rd/bpp']:.4f}"
    rows = [
        dict(
            model='codec torfason2018 C=8',
            input='64x64 RGB',
            bpp_real=bpp,
            psnr_db=f"{rd['rd/psnr']:.2f}",
            ms_ssim=f"{rd['rd/ms_ssim']:.4f}",
            metric='storage',
            value=f"{report['ratio']:.2f}x smaller than the PNGs",
            task_gflops='',
            test_images_per_s=f"{rd['images_per_s']:.0f}"),
        dict(
            model='cResNet-39 (w/4)',
            input='pre-encoded latent 8x8x8',
            bpp_real=bpp,
            psnr_db='',
            ms_ssim='',
            metric='top-1',
            value=f"{cresnet['accuracy/top1']:.2f}",
            task_gflops=f"{gflops(init_model(cresnet_cfg, cresnet_ckpt)):.4f}",
            test_images_per_s=f"{cresnet['images_per_s']:.0f}"),
        dict(
            model='ResNet-50 (w/4)',
            input='decoded 64x64 image',
            bpp_real=bpp,
            psnr_db='',
            ms_ssim='',
            metric='top-1',
            value=f"{resnet['accuracy/top1']:.2f}",
            task_gflops=f"{gflops(init_model(resnet_cfg, resnet_ckpt)):.4f}",
            test_images_per_s=f"{resnet['images_per_s']:.0f}"),
        dict(
            model='DeepLab-v2 ASPP on cResNet-39-d (w/4, from the classifier)',
            input='pre-encoded latent 16x16x8',
            bpp_real=f"{8 * scene_report['cdi_bytes'] / scene_pixels:.4f}",
            psnr_db='',
            ms_ssim='',
            metric='mIoU / fg IoU',
            value=f"{seg['mIoU']:.2f} / {seg['fgIoU']:.2f}",
            task_gflops='',
            test_images_per_s=f"{seg['images_per_s']:.0f}"),
    ]
    print(write_table(args.work_dir, rows))
    print(f'\nrate-accuracy plot: {plot_rate_accuracy(args.work_dir, rows)}')
    print(f'Took {time.perf_counter() - start:.0f} s; tables in '
          f'{args.work_dir}/results.md and results.csv')


if __name__ == '__main__':
    main()
