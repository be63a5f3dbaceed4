"""Encode an image data set into ``.cdi`` files that mirror the source tree.

    python tools/compress_dataset.py CODEC_CKPT SRC DST [--workers 2] \
        [--size W H] [--masks GLOB ...] [--batch-size 16] [--device cuda] \
        [--val-fraction 0.2] [--num-shards N --shard-index I] [--debug]
    # after all N shards (same arguments):
    python tools/compress_dataset.py CODEC_CKPT SRC DST --num-shards N \
        --finalize

Sharded: ``--num-shards N --shard-index I`` encodes one of N disjoint parts
(by a hash of each image's path), so N machines can share DST; inside a Slurm
array job (``SLURM_ARRAY_TASK_ID`` / ``SLURM_ARRAY_TASK_COUNT``) or under
torchrun (``RANK`` / ``WORLD_SIZE``) both come from the environment
(``tools/slurm_compress_dataset.sh``, ``tools/dist_compress_dataset.sh``).
``--finalize`` then checks that every image has a valid ``.cdi`` (a missing
shard is named), merges the shards' journals and prints one report
(:mod:`cdi_mm.apis.dataset_finalize`).

What it does, and what it guarantees on broken or hostile input, is documented
in :mod:`cdi_mm.apis.dataset_codec`: masks by layout or ``--masks``, name
collisions refused up front, symlinks followed, atomic fsynced writes, a
sources journal so a restarted run redoes only what is missing, broken or from
a changed source, a lock per destination, refused images listed at the end
(exit status 1), a dead worker reported instead of a hang. Errors are one line
(``--debug`` for the traceback).
"""
import argparse
import os

from cdi_mm.apis import compress_dataset, format_report
from cdi_mm.apis.cli import run_tool
from cdi_mm.apis.dataset_finalize import finalize_dataset
from cdi_mm.apis.dataset_shards import shard_from_env


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'codec', help='codec checkpoint (path or URL) with meta["codecs"]')
    parser.add_argument('src', help='source data set root')
    parser.add_argument('dst', help='output root')
    parser.add_argument(
        '--workers',
        type=int,
        default=min(2,
                    os.cpu_count() or 1),
        help='encoding processes (0: in this process)')
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        metavar=('W', 'H'),
        default=None,
        help='resize every image to W x H before encoding')
    parser.add_argument(
        '--codec-name',
        default=None,
        help='codec module name inside a task checkpoint (default: outermost)')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=1,
        help='images of one size per analysis-transform call, per worker')
    parser.add_argument(
        '--device',
        default='cpu',
        help="where the workers run the codec "
        "('cuda' with a GPU)")
    parser.add_argument(
        '--val-fraction',
        type=float,
        default=0.0,
        help='split SRC as it is encoded: about this fraction of the '
        'images (by a hash of their path) to DST/val, the rest to '
        'DST/train (a folder-per-class tree becomes train/ and val/)')
    parser.add_argument(
        '--tile-side',
        default='auto',
        help="'auto' (default): .cdi version 2, tiles of the smallest side "
        "whose streams cost at most 3%% more than one; N: tiles of N x N "
        'latent positions; 0: version 1 (untiled)')
    parser.add_argument(
        '--masks',
        action='append',
        default=[],
        metavar='GLOB',
        help='glob (relative to SRC) of mask files to copy as they are, '
        'for layouts not recognised by folder name; repeatable')
    parser.add_argument(
        '--num-shards',
        type=int,
        default=None,
        help='split the encoding into N disjoint shards (default: from a '
        'Slurm array or torchrun environment, else 1)')
    parser.add_argument(
        '--shard-index',
        type=int,
        default=None,
        help='the shard this run encodes, 0..N-1 (default: from the '
        'environment)')
    parser.add_argument(
        '--finalize',
        action='store_true',
        help='after all shards: check the tree, merge the journals, report')
    return parser.parse_args()


def tile_side(value):
    """The --tile-side argument as compress_dataset takes it."""
    if value == 'auto':
        return value
    try:
        side = int(value)
    except ValueError:
        raise ValueError(
            f"--tile-side must be 'auto' or an integer, got {value!r}")
    return side or None


def shards(args):
    """(index, count) from the arguments, else the environment."""
    index, count = shard_from_env()
    count = args.num_shards if args.num_shards is not None else count
    index = args.shard_index if args.shard_index is not None else index
    if count < 1 or not 0 <= index < count:
        raise ValueError(f'--shard-index {index} --num-shards {count}: the '
                         f'index must be in 0..{count - 1}')
    return index, count


def main():
    args = parse_args()
    index, count = shards(args)
    if args.finalize:
        report = finalize_dataset(args.src, args.dst, count, args.masks,
                                  args.val_fraction)
    else:
        report = compress_dataset(args.codec, args.src, args.dst, args.workers,
                                  args.codec_name, args.size, args.masks,
                                  args.batch_size,
                                  args.device, args.val_fraction,
                                  tile_side(args.tile_side), count, index)
    print(format_report(report))
    if count > 1 and not args.finalize:
        print(f'shard {index} of {count} done; when every shard is, run '
              'again with --finalize')
    if report['refused']:
        raise SystemExit(
            f"error: {len(report['refused'])} images were refused (listed "
            'above); everything else is encoded')


if __name__ == '__main__':
    run_tool(main)
