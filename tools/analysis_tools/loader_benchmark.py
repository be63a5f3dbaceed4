"""Data-loader throughput per core: ImageNet-style JPEGs vs ``.cdi`` latents.

    python tools/analysis_tools/loader_benchmark.py CODEC_CKPT --out work_dirs/loader \
        [--images 256] [--workers 1 2 4] [--batch-size 32] [--photos data/photos]
        [--batches-per-worker 20]

Makes ``--images`` ImageNet-like JPEGs (500x375, quality 90) from random crops of the
photo pool (scikit-image's photos when there is none) and the same images as ``.cdi``
files of ``CODEC_CKPT``, then measures images/s that a torch ``DataLoader`` with 1, 2
and 4 worker processes delivers as collated training batches, through
(a) mmpretrain's ImageNet training pipeline: decode, ``RandomResizedCrop`` 224, flip,
pack; (b) the latent training pipeline: read, entropy decode (``LoadLatentFromFile``),
28x28 ``LatentRandomCrop`` (224 / stride 8), flip, pack. Each worker is one process with
one torch thread, so images/s per worker is the throughput per core. Writes
``loader_benchmark.json`` and ``loader_benchmark.md`` (with the bytes read per image).
"""
import argparse
import json
import os
import os.path as osp
import time

import numpy as np
import torch
from mmengine.dataset import Compose, default_collate
from mmengine.registry import DefaultScope
from PIL import Image
from torch.utils.data import DataLoader, Dataset, RandomSampler

from cdi_mm.apis import compress_file, load_codec
from cdi_mm.apis.cli import run_tool

PIPELINES = {
    'jpeg': [dict(type='LoadImageFromFile'),
             dict(type='RandomResizedCrop', scale=224),
             dict(type='RandomFlip', prob=0.5, direction='horizontal'),
             dict(type='PackInputs')],
    'cdi': [dict(type='LoadLatentFromFile', codec_checkpoint=None),
            dict(type='LatentRandomCrop', crop_size=(28, 28)),
            dict(type='LatentRandomFlip', prob=0.5),
            dict(type='PackInputs')],
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('codec', help='codec checkpoint (meta["codecs"]) for the .cdi files')
    parser.add_argument('--out', default='work_dirs/loader')
    parser.add_argument('--images', type=int, default=256)
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 2, 4])
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--batches-per-worker', type=int, default=20,
                        help='timed batches per row = this x workers (the prefetched '
                        'batches, 2 per worker, then bias the rate by at most 10%%)')
    parser.add_argument('--photos', default='data/photos')
    return parser.parse_args()


def _sources(photos_root):
    folder = osp.join(photos_root, 'train')
    if osp.isdir(folder):
        return [Image.open(osp.join(folder, f)).convert('RGB') for f in sorted(os.listdir(folder))]
    from skimage import data
    return [Image.fromarray(getattr(data, n)()) for n in ('astronaut', 'coffee', 'chelsea')]


def make_images(out, count, codec, photos_root, seed=0):
    """``count`` 500x375 JPEGs (q90) and their ``.cdi`` files; returns both path lists."""
    rng = np.random.default_rng(seed)
    sources = _sources(photos_root)
    jpegs, cdis = [], []
    for folder in ('jpeg', 'cdi'):
        os.makedirs(osp.join(out, folder), exist_ok=True)
    for i in range(count):
        photo = sources[rng.integers(len(sources))]
        scale = max(500 / photo.width, 375 / photo.height)
        if scale > 1:
            photo = photo.resize((int(photo.width * scale) + 1, int(photo.height * scale) + 1))
        x, y = int(rng.integers(0, photo.width - 500 + 1)), int(rng.integers(0, photo.height - 375 + 1))
        jpeg = osp.join(out, 'jpeg', f'{i:05d}.jpg')
        photo.crop((x, y, x + 500, y + 375)).save(jpeg, quality=90)
        cdi = osp.join(out, 'cdi', f'{i:05d}.cdi')
        with open(cdi, 'wb') as f:
            f.write(compress_file(codec, jpeg))
        jpegs.append(jpeg)
        cdis.append(cdi)
    return jpegs, cdis


class FileList(Dataset):
    """Files through an mmpretrain pipeline (built in each worker process)."""

    def __init__(self, paths, pipeline):
        self.paths, self.pipeline_cfg, self.pipeline = paths, pipeline, None

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        if self.pipeline is None:
            import cdi_mm  # noqa: F401  (registers LoadLatentFromFile in this process)
            with DefaultScope.overwrite_default_scope('mmpretrain'):
                self.pipeline = Compose(self.pipeline_cfg)
        return self.pipeline(dict(img_path=self.paths[index]))


def _worker_init(_):
    torch.set_num_threads(1)


def throughput(paths, pipeline, workers, batch_size, batches):
    """Images/s of collated batches after the first one (worker start-up excluded),
    files drawn with replacement so any number of batches can be timed."""
    sampler = RandomSampler(paths, replacement=True, num_samples=batch_size * (batches + 1),
                            generator=torch.Generator().manual_seed(0))
    loader = DataLoader(FileList(paths, pipeline), batch_size=batch_size, sampler=sampler,
                        num_workers=workers, collate_fn=default_collate,
                        worker_init_fn=_worker_init, persistent_workers=False)
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
    jpegs, cdis = make_images(args.out, args.images, codec, args.photos)
    pipelines = dict(PIPELINES)
    pipelines['cdi'] = [dict(pipelines['cdi'][0], codec_checkpoint=args.codec),
                        *pipelines['cdi'][1:]]
    rows = []
    for name, paths in (('jpeg', jpegs), ('cdi', cdis)):
        size = float(np.mean([osp.getsize(p) for p in paths]))
        for workers in args.workers:
            speed = throughput(paths, pipelines[name], workers, args.batch_size,
                               args.batches_per_worker * workers)
            rows.append(dict(path=name, workers=workers, images_per_s=round(speed, 1),
                             per_worker=round(speed / workers, 1), bytes_per_image=round(size)))
            print(rows[-1], flush=True)
    per_worker = {r['path']: r['per_worker'] for r in rows if r['workers'] == 1}
    result = dict(codec=args.codec, images=args.images, batch_size=args.batch_size,
                  cpu_count=os.cpu_count(), rows=rows,
                  cdi_speedup_per_core=round(per_worker['cdi'] / per_worker['jpeg'], 2))
    with open(osp.join(args.out, 'loader_benchmark.json'), 'w') as f:
        json.dump(result, f, indent=2)
    lines = ['| path | workers | images/s | images/s per worker | bytes per image |',
             '|---|---|---|---|---|']
    lines += [f"| {r['path']} | {r['workers']} | {r['images_per_s']} | {r['per_worker']} | "
              f"{r['bytes_per_image']} |" for r in rows]
    lines.append(f"\n.cdi vs JPEG per core (1 worker): {result['cdi_speedup_per_core']}x")
    with open(osp.join(args.out, 'loader_benchmark.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    run_tool(main)
