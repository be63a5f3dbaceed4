"""Decode a pre-encoded ``.cdi`` data set to PNGs (the decoded-image baselines'
data).

    python tools/decompress_dataset.py CODEC_CKPT SRC DST

``SRC`` is what ``tools/compress_dataset.py`` wrote; ``DST`` mirrors it with
``.png`` images (masks and other files copied). See
:mod:`cdi_mm.apis.dataset_decoding`.
"""
import argparse

from cdi_mm.apis import decompress_dataset
from cdi_mm.apis.cli import run_tool


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'codec', help='checkpoint of the codec that wrote the files')
    parser.add_argument('src', help='root of the .cdi data set')
    parser.add_argument('dst', help='output root')
    parser.add_argument(
        '--codec-name',
        default=None,
        help='codec module name inside a task checkpoint (default: outermost)')
    return parser.parse_args()


def main():
    args = parse_args()
    report = decompress_dataset(args.codec, args.src, args.dst,
                                args.codec_name)
    print(f"decoded {report['images']} images ({report['skipped']} already "
          f"there), copied {report['copied']} other files to {args.dst}")


if __name__ == '__main__':
    run_tool(main)
