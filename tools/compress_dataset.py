"""Encode an image data set into ``.cdi`` files that mirror the source tree.

    python tools/compress_dataset.py CODEC_CKPT SRC DST [--workers 2] \
        [--size W H] [--masks GLOB ...] [--batch-size 16] [--device cuda] \
        [--val-fraction 0.2] [--debug]

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


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'codec', help='codec checkpoint (path or URL) with meta["codecs"]')
    parser.add_argument('src', help='source data set root')
    parser.add_argument('dst', help='output root')
    parser.add_argument(
        '--workers', type=int, default=min(2,
                                           os.cpu_count() or 1))
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


def main():
    args = parse_args()
    report = compress_dataset(args.codec, args.src, args.dst, args.workers,
                              args.codec_name, args.size, args.masks,
                              args.batch_size, args.device, args.val_fraction,
                              tile_side(args.tile_side))
    print(format_report(report))
    if report['refused']:
        raise SystemExit(
            f"error: {len(report['refused'])} images were refused (listed "
            'above); everything else is encoded')


if __name__ == '__main__':
    run_tool(main)
