"""Write teacher-labelled crops of unlabelled photos for distillation.

    # training data: 200 shards of 256 augmented crops of the photo pool
    python tools/write_distillation_crops.py data/photos/train \
        --out data/distill --shards 200
    # held-out evaluation views (photo objects never used in distillation)
    python tools/write_distillation_crops.py data/photo_objects/val \
        data/photos/val --out data/distill_heldout --mode view

Resumable (complete shards are kept) and splittable (``--only 0:100`` on one
machine, ``--only 100:200`` on another). Then encode the crops with
``tools/compress_dataset.py CODEC data/distill data/distill_c32``. See
:mod:`cdi_mm.apis.distillation_crops`.
"""
import argparse

import torch

from cdi_mm.apis.cli import run_tool
from cdi_mm.apis.distillation_crops import write_distillation_crops


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('folders', nargs='+', help='photo folders')
    parser.add_argument('--out', required=True, help='output root')
    parser.add_argument(
        '--mode', choices=('augment', 'view'), default='augment')
    parser.add_argument(
        '--shards',
        type=int,
        default=1,
        help='number of shards (augment mode)')
    parser.add_argument('--shard-size', type=int, default=256)
    parser.add_argument(
        '--only',
        default=None,
        help='START:STOP, write only these shard indices')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--teacher', default='lite2', choices=('lite0', 'lite1', 'lite2'))
    parser.add_argument('--min-scale', type=float, default=0.08)
    parser.add_argument('--cutmix-prob', type=float, default=0.5)
    parser.add_argument(
        '--feature-size',
        type=int,
        default=None,
        help='also store the teacher\'s final feature map pooled to this '
        'side (7 for a stride-32 student; feature distillation)')
    parser.add_argument(
        '--keep',
        nargs='*',
        default=None,
        help='photo stems to keep even if ImageNet-labelled (default: the '
        'labelled photos are left out)')
    parser.add_argument(
        '--threads',
        type=int,
        default=None,
        help='torch threads (default: torch decides)')
    return parser.parse_args()


def main():
    from cdi_mm.apis.distillation_crops import IMAGENET_LABELLED_PHOTOS
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    shards = None
    if args.only:
        start, stop = (int(v) for v in args.only.split(':'))
        shards = range(start, stop)
    keep = set(args.keep or ())
    report = write_distillation_crops(
        args.folders,
        args.out,
        num_shards=args.shards,
        shard_size=args.shard_size,
        mode=args.mode,
        seed=args.seed,
        teacher=args.teacher,
        min_scale=args.min_scale,
        cutmix_prob=args.cutmix_prob,
        shards=shards,
        feature_size=args.feature_size,
        exclude=tuple(n for n in IMAGENET_LABELLED_PHOTOS if n not in keep))
    print(f"wrote {report['written']} shards ({report['crops']} crops) in "
          f"{report['seconds']:.0f} s to {args.out}")


if __name__ == '__main__':
    run_tool(main)
