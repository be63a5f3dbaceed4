"""Data-loader throughput per core: ImageNet-style JPEGs vs ``.cdi`` latents.

    python tools/analysis_tools/loader_benchmark.py CODEC_CKPT \
        --out work_dirs/loader [--images 256] [--workers 1 2 4] \
        [--batch-size 32] [--photos data/photos] [--batches-per-worker 20]

Makes ``--images`` ImageNet-like JPEGs (500x375, quality 90) from random crops
of the photo pool (scikit-image's photos when there is none) and the same
images as ``.cdi`` files of ``CODEC_CKPT``, then measures images/s that a torch
``DataLoader`` with 1, 2 and 4 worker processes delivers as collated training
batches, through
(a) mmpretrain's ImageNet training pipeline: decode, ``RandomResizedCrop`` 224,
    flip,
pack; (b) the latent training pipeline: read, entropy decode
(``LoadLatentFromFile``), 28x28 ``LatentRandomCrop`` (224 / stride 8), flip,
pack. Each worker is one process with one torch thread, so images/s per worker
is the throughput per core.

Also the one-off cost of encoding a data set: ``compress_dataset`` (analysis
transform on batches of ``--encode-batch-size``, entropy coding and atomic
writes in each worker process) on the JPEGs with 1, 2 and 4 workers, images/s;
the time of the analysis transform alone, for this codec and for the paper's
codec at paper width (``Torfason2018``: N=128, 16 residual blocks; an untrained
instance, whose cost is the same); and the projected time to encode ImageNet's
1,281,167 training images at this size with each, per core (the paper codec's
projection swaps the analysis time).

Writes ``loader_benchmark.json`` and ``loader_benchmark.md`` (with the bytes
read per image).
"""
import argparse
import json
import os
import os.path as osp
import shutil
import time

import numpy as np
import torch
from mmengine.dataset import Compose, default_collate
from mmengine.registry import DefaultScope
from PIL import Image
from torch.utils.data import DataLoader, Dataset, RandomSampler

from cdi_mm.apis import compress_dataset, load_codec
from cdi_mm.apis.cli import run_tool
from cdi_mm.codecs import Torfason2018, pad_to_stride

#: ILSVRC2012 training images.
IMAGENET_TRAIN = 1_281_167

PIPELINES = {
    'jpeg': [
        dict(type='LoadImageFromFile'),
        dict(type='RandomResizedCrop', scale=224),
        dict(type='RandomFlip', prob=0.5, direction='horizontal'),
        dict(type='PackInputs')
    ],
    'cdi': [
        dict(type='LoadLatentFromFile', codec_checkpoint=None),
        dict(type='LatentRandomCrop', crop_size=(28, 28)),
        dict(type='LatentRandomFlip', prob=0.5),
        dict(type='PackInputs')
    ],
}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'codec', help='codec checkpoint (meta["codecs"]) for the .cdi files')
    parser.add_argument('--out', default='work_dirs/loader')
    parser.add_argument('--images', type=int, default=256)
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 2, 4])
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument(
        '--batches-per-worker',
        type=int,
        default=20,
        help='timed batches per row = this x workers (the prefetched '
        'batches, 2 per worker, then bias the rate by at most 10%%)')
    parser.add_argument(
        '--encode-batch-size',
        type=int,
        default=16,
        help='images per analysis-transform batch when encoding')
    parser.add_argument(
        '--encode-device',
        default='cpu',
        help="where compress_dataset's workers run the analysis "
        "transform ('cuda' with a GPU)")
    parser.add_argument('--photos', default='data/photos')
    return parser.parse_args()


def _sources(photos_root):
    folder = osp.join(photos_root, 'train')
    if osp.isdir(folder):
        return [
            Image.open(osp.join(folder, f)).convert('RGB')
            for f in sorted(os.listdir(folder))
        ]
    from skimage import data
    return [
        Image.fromarray(getattr(data, n)())
        for n in ('astronaut', 'coffee', 'chelsea')
    ]


def make_jpegs(out, count, photos_root, seed=0):
    """``count`` 500x375 JPEGs (q90) under ``out/jpeg``; returns their
    paths."""
    rng = np.random.default_rng(seed)
    sources = _sources(photos_root)
    jpegs = []
    os.makedirs(osp.join(out, 'jpeg'), exist_ok=True)
    for i in range(count):
        photo = sources[rng.integers(len(sources))]
        scale = max(500 / photo.width, 375 / photo.height)
        if scale > 1:
            photo = photo.resize(
                (int(photo.width * scale) + 1, int(photo.height * scale) + 1))
        x, y = int(rng.integers(0, photo.width - 500 + 1)), int(
            rng.integers(0, photo.height - 375 + 1))
        jpeg = osp.join(out, 'jpeg', f'{i:05d}.jpg')
        photo.crop((x, y, x + 500, y + 375)).save(jpeg, quality=90)
        jpegs.append(jpeg)
    return jpegs


def encoding_rates(checkpoint, out, workers, batch_size, device='cpu'):
    """``compress_dataset`` of ``out/jpeg`` into a fresh ``out/cdi`` with each
    worker count; returns ``[{workers, images_per_s}]`` (the last run's files
    stay)."""
    rows = []
    for count in workers:
        shutil.rmtree(osp.join(out, 'cdi'), ignore_errors=True)
        report = compress_dataset(
            checkpoint,
            osp.join(out, 'jpeg'),
            osp.join(out, 'cdi'),
            workers=count,
            batch_size=batch_size,
            device=device)
        rows.append(
            dict(workers=count, images_per_s=round(report['images_per_s'], 2)))
        print('encode', rows[-1], flush=True)
    return rows


@torch.no_grad()
def analysis_seconds(codec, batch_size, repeats=2):
    """Seconds per 500x375 image of ``codec.analysis`` on one thread (best of
    ``repeats`` batches of ``batch_size``)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        codec.eval()
        images = pad_to_stride(
            torch.rand(batch_size, 3, 375, 500), codec.pad_multiple)
        best = float('inf')
        for _ in range(repeats):
            start = time.perf_counter()
            codec.analysis(images)
            best = min(best, time.perf_counter() - start)
    finally:
        torch.set_num_threads(threads)
    return best / batch_size


class FileList(Dataset):
    """Files through an mmpretrain pipeline (built in each worker process)."""

    def __init__(self, paths, pipeline):
        self.paths, self.pipeline_cfg, self.pipeline = paths, pipeline, None

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        if self.pipeline is None:
            # registers LoadLatentFromFile in this process
            import cdi_mm.openmmlab  # noqa: F401
            with DefaultScope.overwrite_default_scope('mmpretrain'):
                self.pipeline = Compose(self.pipeline_cfg)
        return self.pipeline(dict(img_path=self.paths[index]))


def _worker_init(_):
    torch.set_num_threads(1)


def throughput(paths, pipeline, workers, batch_size, batches):
    """Images/s of collated batches after the first one (worker start-up
    excluded), files drawn with replacement so any number of batches can be
    timed."""
    sampler = RandomSampler(
        paths,
        replacement=True,
        num_samples=batch_size * (batches + 1),
        generator=torch.Generator().manual_seed(0))
    loader = DataLoader(
        FileList(paths, pipeline),
        batch_size=batch_size,
        sampler=sampler,
        num_workers=workers,
        collate_fn=default_collate,
        worker_init_fn=_worker_init,
        persistent_workers=False)
    iterator = iter(loader)
    next(iterator)
    start, images = time.perf_counter(), 0
    for _ in range(batches):
        batch = next(iterator)
        images += len(batch['inputs'])
    return images / (time.perf_counter() - start)


def main():
    args = parse_args()
    codec = load_codec(args.codec)
    jpegs = make_jpegs(args.out, args.images, args.photos)
    encode_rows = encoding_rates(args.codec, args.out, args.workers,
                                 args.encode_batch_size, args.encode_device)
    cdis = sorted(
        osp.join(args.out, 'cdi', f)
        for f in os.listdir(osp.join(args.out, 'cdi')) if f.endswith('.cdi'))
    one_core = None
    if 1 in args.workers:
        one_core = 1 / next(r['images_per_s']
                            for r in encode_rows if r['workers'] == 1)
    shipped = analysis_seconds(codec, args.encode_batch_size)
    paper = analysis_seconds(
        Torfason2018(channels=codec.latent_channels), args.encode_batch_size)
    encoding = dict(
        rows=encode_rows,
        batch_size=args.encode_batch_size,
        device=args.encode_device,
        analysis_s_per_image=round(shipped, 4),
        paper_width_analysis_s_per_image=round(paper, 4))
    if one_core:
        encoding.update(
            s_per_image_one_core=round(one_core, 4),
            imagenet_core_days=round(IMAGENET_TRAIN * one_core / 86400, 2),
            paper_width_imagenet_core_days=round(
                IMAGENET_TRAIN * (one_core - shipped + paper) / 86400, 2))
    pipelines = dict(PIPELINES)
    pipelines['cdi'] = [
        dict(pipelines['cdi'][0], codec_checkpoint=args.codec),
        *pipelines['cdi'][1:]
    ]
    rows = []
    for name, paths in (('jpeg', jpegs), ('cdi', cdis)):
        size = float(np.mean([osp.getsize(p) for p in paths]))
        for workers in args.workers:
            speed = throughput(paths, pipelines[name], workers,
                               args.batch_size,
                               args.batches_per_worker * workers)
            rows.append(
                dict(
                    path=name,
                    workers=workers,
                    images_per_s=round(speed, 1),
                    per_worker=round(speed / workers, 1),
                    bytes_per_image=round(size)))
            print(rows[-1], flush=True)
    per_worker = {
        r['path']: r['per_worker']
        for r in rows if r['workers'] == 1
    }
    result = dict(
        codec=args.codec,
        images=args.images,
        batch_size=args.batch_size,
        cpu_count=os.cpu_count(),
        rows=rows,
        cdi_speedup_per_core=round(per_worker['cdi'] / per_worker['jpeg'], 2),
        encoding=encoding)
    with open(osp.join(args.out, 'loader_benchmark.json'), 'w') as f:
        json.dump(result, f, indent=2)
    lines = [
        '| path | workers | images/s | images/s per worker | bytes per image '
        '|', '|---|---|---|---|---|'
    ]
    lines += [
        f"| {r['path']} | {r['workers']} | {r['images_per_s']} | "
        f"{r['per_worker']} | {r['bytes_per_image']} |" for r in rows
    ]
    lines.append("\n.cdi vs JPEG per core (1 worker): "
                 f"{result['cdi_speedup_per_core']}x")
    lines += [
        '', '| encoding (compress_dataset, batch '
        f"{args.encode_batch_size}, analysis on {args.encode_device}) | "
        'workers | '
        'images/s |', '|---|---|---|'
    ]
    lines += [
        f"| {osp.basename(args.codec)} | {r['workers']} | {r['images_per_s']} "
        "|" for r in encode_rows
    ]
    lines.append(
        f"\nanalysis transform per 500x375 image, one thread: this codec "
        f"{shipped * 1e3:.0f} ms, the paper's codec at paper width "
        f"{paper * 1e3:.0f} ms")
    if one_core:
        lines.append(
            f"ImageNet train ({IMAGENET_TRAIN:,} images at 500x375) with one "
            f"worker ({args.encode_device}): "
            f"{encoding['imagenet_core_days']} days with this codec, "
            f"{encoding['paper_width_imagenet_core_days']} days at paper width"
        )
    with open(osp.join(args.out, 'loader_benchmark.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    run_tool(main)
