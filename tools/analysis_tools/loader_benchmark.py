"""Data-loader throughput per core: ImageNet-style JPEGs vs ``.cdi`` latents.

    python tools/analysis_tools/loader_benchmark.py \
        CODEC_CKPT [CODEC_CKPT ...] --out work_dirs/loader [--photos DIR] \
        [--images 256] [--workers 1 2] [--encoding-workers 1 2 4] \
        [--collates pseudo_collate default_collate]

Makes ``--images`` ImageNet-like JPEGs (500x375, quality 90) from random crops
of the photos under ``--photos`` (any layout; without it, scikit-image's three
sample photos, as the output says), encodes them with each codec as ``.cdi``
version 1 (``compress_dataset --tile-side 0``) and transcodes a copy to
version 2 (``tools/transcode_cdi.py``): bytes per image of both. Then measures
the images/s a torch ``DataLoader`` delivers with 1 and 2 worker processes (one
torch thread each, so images/s per worker is the throughput per core), with
each collate, through:

* ``jpeg``: mmpretrain's own ImageNet ``train_pipeline``, read from
  ``mmpretrain::_base_/datasets/imagenet_bs32.py`` (decode, RandomResizedCrop
  224, flip, pack); ``jpeg-pillow``: the same with Pillow decoding and
  resizing;
* ``cdi-v1-float``: the float latent pipeline on version-1 files
  (``LoadLatentFromFile``, 28x28 ``LatentRandomCrop`` = 224 / stride 8,
  ``LatentRandomFlip``, pack); ``cdi-v2-float``: the same on version-2 files;
* ``cdi-v2-symbols``: what the latent configs run: ``LoadLatentSymbols``
  (tiles the crop covers decoded, cropped and flipped to int16 symbols), pack.

``pseudo_collate`` is what a stock Runner uses when a config names no
``collate_fn`` (mmpretrain's ImageNet configs); the shipped latent configs name
``default_collate``. Also the entropy decoder alone: ns per symbol decoding
whole latents (v1 and v2) and 28x28 crops (v2). With ``--encoding-workers``,
the one-off cost of encoding (``compress_dataset`` with 1, 2, 4 workers, the
first codec) and its ImageNet projection.

Writes ``loader_benchmark.json`` and ``loader_benchmark.md``.
"""
import argparse
import json
import os
import os.path as osp
import shutil
import time

import numpy as np
from PIL import Image

from cdi_mm.apis import compress_dataset, load_codec, transcode_dataset
from cdi_mm.apis.cli import run_tool
from cdi_mm.codecs import (codec_fingerprint, read_record, record_symbols,
                           tiled_coder)
from cdi_mm.evaluation.loader_throughput import (COLLATES, MMPRETRAIN_IMAGENET,
                                                 config_train_pipeline,
                                                 find_images,
                                                 loader_throughput)

#: ILSVRC2012 training images.
IMAGENET_TRAIN = 1_281_167
#: PackInputs meta keys of the latent configs (configs/_base_/datasets).
LATENT_META_KEYS = ('sample_idx', 'img_path', 'ori_shape', 'img_shape', 'flip',
                    'flip_direction', 'latent_dequant')
CROP = (28, 28)


def latent_pipelines(codec):
    """The latent pipelines measured, by name."""
    float_path = [
        dict(type='LoadLatentFromFile', codec_checkpoint=codec),
        dict(type='LatentRandomCrop', crop_size=CROP),
        dict(type='LatentRandomFlip', prob=0.5),
        dict(type='PackInputs')
    ]
    return {
        'cdi-v1-float':
        float_path,
        'cdi-v2-float':
        float_path,
        'cdi-v2-symbols': [
            dict(
                type='LoadLatentSymbols',
                crop_size=CROP,
                flip_prob=0.5,
                codec_checkpoint=codec),
            dict(type='PackInputs', meta_keys=LATENT_META_KEYS)
        ]
    }


def jpeg_pipelines():
    stock = config_train_pipeline(MMPRETRAIN_IMAGENET)
    pillow = [dict(t) for t in stock]
    for t in pillow:
        if t['type'] == 'LoadImageFromFile':
            t['imdecode_backend'] = 'pillow'
        if t['type'] == 'RandomResizedCrop':
            t['backend'] = 'pillow'
    return {'jpeg': stock, 'jpeg-pillow': pillow}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'codecs',
        nargs='+',
        help='codec checkpoints (meta["codecs"]) for the .cdi files')
    parser.add_argument('--out', default='work_dirs/loader')
    parser.add_argument(
        '--photos',
        default=None,
        help='folder of photos (any layout) to crop the JPEGs from; '
        "default: scikit-image's three sample photos")
    parser.add_argument('--images', type=int, default=256)
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 2])
    parser.add_argument(
        '--collates',
        nargs='+',
        default=list(COLLATES),
        choices=list(COLLATES))
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument(
        '--batches-per-worker',
        type=int,
        default=20,
        help='timed batches per row = this x workers')
    parser.add_argument(
        '--encoding-workers',
        type=int,
        nargs='*',
        default=[],
        help='also time compress_dataset with these worker counts (first '
        'codec)')
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
    return parser.parse_args()


def photo_sources(photos):
    """``(PIL images, description)`` of the photos the JPEGs are cut from."""
    if photos is None:
        from skimage import data
        names = ('astronaut', 'coffee', 'chelsea')
        return [Image.fromarray(getattr(data, n)())
                for n in names], "scikit-image's photos " + ', '.join(names)
    paths = find_images(photos)
    return [Image.open(p).convert('RGB')
            for p in paths], f'{len(paths)} photos under {photos}'


def make_jpegs(out, count, sources, seed=0):
    """``count`` 500x375 JPEGs (q90), random crops of ``sources``."""
    rng = np.random.default_rng(seed)
    os.makedirs(osp.join(out, 'jpeg'), exist_ok=True)
    jpegs = []
    for i in range(count):
        photo = sources[rng.integers(len(sources))]
        scale = max(500 / photo.width, 375 / photo.height)
        if scale > 1:
            photo = photo.resize(
                (int(photo.width * scale) + 1, int(photo.height * scale) + 1))
        x = int(rng.integers(0, photo.width - 500 + 1))
        y = int(rng.integers(0, photo.height - 375 + 1))
        jpegs.append(osp.join(out, 'jpeg', f'{i:05d}.jpg'))
        photo.crop((x, y, x + 500, y + 375)).save(jpegs[-1], quality=90)
    return jpegs


def cdi_files(root):
    return sorted(
        osp.join(root, f) for f in os.listdir(root) if f.endswith('.cdi'))


def encode_both(codec_path, out, tag, batch_size, device):
    """Version-1 files of the JPEGs and a version-2 copy: ``(v1, v2)``."""
    v1, v2 = osp.join(out, f'{tag}-v1'), osp.join(out, f'{tag}-v2')
    for folder in (v1, v2):
        shutil.rmtree(folder, ignore_errors=True)
    compress_dataset(
        codec_path,
        osp.join(out, 'jpeg'),
        v1,
        workers=2,
        batch_size=batch_size,
        device=device,
        tile_side=None)
    shutil.copytree(v1, v2)
    transcode_dataset(v2)
    return cdi_files(v1), cdi_files(v2)


def decoder_ns_per_symbol(codec, files, window=None, repeats=3):
    """Best-of-``repeats`` ns per decoded symbol of the entropy decoder alone
    (files parsed beforehand): version-1 streams whole, version-2 files whole
    or a flipped ``window`` of them."""
    fingerprint = codec_fingerprint(codec)
    coder = tiled_coder(codec)
    records = [
        read_record(codec,
                    open(p, 'rb').read(), fingerprint) for p in files
    ]
    best = float('inf')
    for _ in range(repeats):
        symbols = 0
        start = time.perf_counter()
        for record in records:
            if record.tile_side:
                out = record_symbols(codec, record, window, window is not None,
                                     None, coder)
            else:
                out = codec.decode_symbols([[s] for s in record.strings],
                                           record.latent_shape[1:])
            symbols += int(np.prod(out.shape))
        best = min(best, (time.perf_counter() - start) / symbols)
    return best * 1e9


def main():
    args = parse_args()
    sources, described = photo_sources(args.photos)
    print(f'JPEGs cut from {described}', flush=True)
    jpegs = make_jpegs(args.out, args.images, sources)
    rows, sizes, decoder, encoding = [], [], [], []
    if args.encoding_workers:
        for workers in args.encoding_workers:
            shutil.rmtree(osp.join(args.out, 'encode'), ignore_errors=True)
            report = compress_dataset(
                args.codecs[0],
                osp.join(args.out, 'jpeg'),
                osp.join(args.out, 'encode'),
                workers=workers,
                batch_size=args.encode_batch_size,
                device=args.encode_device)
            rate = report['images_per_s']
            encoding.append(
                dict(
                    workers=workers,
                    images_per_s=round(rate, 2),
                    imagenet_core_days=round(
                        IMAGENET_TRAIN /
                        (rate / min(workers, os.cpu_count())) / 86400, 2)))
            print('encode', encoding[-1], flush=True)
    paths = {}
    pipelines = jpeg_pipelines()
    for name in pipelines:
        paths[name] = jpegs
    for codec_path in args.codecs:
        codec = load_codec(codec_path)
        tag = f'c{codec.latent_channels}'
        v1, v2 = encode_both(codec_path, args.out, tag, args.encode_batch_size,
                             args.encode_device)
        sizes.append(
            dict(
                codec=osp.basename(codec_path),
                channels=codec.latent_channels,
                v1_bytes=round(float(np.mean([osp.getsize(p) for p in v1]))),
                v2_bytes=round(float(np.mean([osp.getsize(p) for p in v2]))),
            ))
        sizes[-1]['overhead_pct'] = round(
            100 * (sizes[-1]['v2_bytes'] / sizes[-1]['v1_bytes'] - 1), 2)
        decoder.append(
            dict(
                codec=tag,
                v1_whole=round(decoder_ns_per_symbol(codec, v1[:64]), 2),
                v2_whole=round(decoder_ns_per_symbol(codec, v2[:64]), 2),
                v2_crop28=round(
                    decoder_ns_per_symbol(codec, v2[:64], (5, 9, *CROP)), 2)))
        print(sizes[-1], decoder[-1], flush=True)
        for name, pipeline in latent_pipelines(codec_path).items():
            pipelines[f'{tag} {name}'] = pipeline
            paths[f'{tag} {name}'] = v1 if 'v1' in name else v2
    for name, pipeline in pipelines.items():
        size = float(np.mean([osp.getsize(p) for p in paths[name]]))
        for collate in args.collates:
            for workers in args.workers:
                speed = loader_throughput(paths[name], pipeline, workers,
                                          args.batch_size,
                                          args.batches_per_worker * workers,
                                          collate)
                rows.append(
                    dict(
                        path=name,
                        collate=collate,
                        workers=workers,
                        images_per_s=round(speed, 1),
                        per_worker=round(speed / workers, 1),
                        bytes_per_image=round(size)))
                print(rows[-1], flush=True)
    write_results(args, described, rows, sizes, decoder, encoding)


def write_results(args, described, rows, sizes, decoder, encoding):
    one = {
        (r['path'], r['collate']): r['per_worker']
        for r in rows if r['workers'] == 1
    }
    ratios = {
        f'{path} / jpeg ({collate})': round(speed / one[('jpeg', collate)], 2)
        for (path, collate), speed in one.items() if path.startswith('c')
    }
    result = dict(
        codecs=args.codecs,
        photos=described,
        images=args.images,
        batch_size=args.batch_size,
        cpu_count=os.cpu_count(),
        rows=rows,
        per_core_vs_jpeg=ratios,
        sizes=sizes,
        decoder_ns_per_symbol=decoder,
        encoding=encoding)
    with open(osp.join(args.out, 'loader_benchmark.json'), 'w') as f:
        json.dump(result, f, indent=2)
    lines = [
        f'JPEGs cut from {described}; batches of {args.batch_size}. A stock '
        'Runner collates with pseudo_collate when a config names no '
        "collate_fn (mmpretrain's ImageNet configs); the shipped latent "
        'configs name default_collate.', '',
        '| path | collate | workers | images/s | images/s per worker | '
        'bytes per image |', '|---|---|---|---|---|---|'
    ]
    lines += [
        f"| {r['path']} | {r['collate']} | {r['workers']} | "
        f"{r['images_per_s']} | {r['per_worker']} | "
        f"{r['bytes_per_image']} |" for r in rows
    ]
    lines += ['', 'Per core (1 worker) against JPEG with the same collate:']
    lines += [f'- {k}: {v}x' for k, v in ratios.items()]
    lines += [
        '', '| codec | C | v1 bytes | v2 bytes | v2 overhead % |',
        '|---|---|---|---|---|'
    ]
    lines += [
        f"| {s['codec']} | {s['channels']} | {s['v1_bytes']} | "
        f"{s['v2_bytes']} | {s['overhead_pct']} |" for s in sizes
    ]
    lines += [
        '', '| decoder ns/symbol | v1 whole latent | v2 whole latent | '
        'v2 28x28 crop (flipped) |', '|---|---|---|---|'
    ]
    lines += [
        f"| {d['codec']} | {d['v1_whole']} | {d['v2_whole']} | "
        f"{d['v2_crop28']} |" for d in decoder
    ]
    if encoding:
        lines += [
            '', '| encoding workers | images/s | ImageNet train, core-days |',
            '|---|---|---|'
        ]
        lines += [
            f"| {e['workers']} | {e['images_per_s']} | "
            f"{e['imagenet_core_days']} |" for e in encoding
        ]
    with open(osp.join(args.out, 'loader_benchmark.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    run_tool(main)
