"""Re-code a pre-encoded data set's version-1 ``.cdi`` files as version 2
(tiled: a crop decodes only the tiles it covers), in place.

    python tools/transcode_cdi.py DATA_ROOT [--codec CODEC_CKPT] \
        [--tile-side auto|N]

From the symbols alone: no image is read and no analysis transform runs; the
latent of every file comes out identical (checked). Files already at version 2
are skipped, so a rerun finishes an interrupted run. The codec is the one the
data set's ``cdi_codec.json`` names unless ``--codec`` is given. See
:mod:`cdi_mm.apis.dataset_transcoding`.
"""
import argparse

from cdi_mm.apis import transcode_dataset
from cdi_mm.apis.cli import run_tool


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('root', help='root of the .cdi data set')
    parser.add_argument(
        '--codec',
        default=None,
        help='checkpoint of the codec that wrote the files (default: the '
        'one the data set manifest names)')
    parser.add_argument(
        '--tile-side',
        default='auto',
        help="'auto' (default): the smallest tile side whose streams cost "
        'at most 3%% more than one; N: tiles of N x N latent positions')
    return parser.parse_args()


def main():
    args = parse_args()
    tile_side = args.tile_side if args.tile_side == 'auto' else int(
        args.tile_side)
    report = transcode_dataset(args.root, args.codec, tile_side)
    grown = report['v2_bytes'] / max(report['v1_bytes'], 1) - 1
    print(f"transcoded {report['transcoded']} of {report['files']} files "
          f"({report['already_v2']} already version 2): "
          f"{report['v1_bytes']:,} -> {report['v2_bytes']:,} bytes "
          f'({100 * grown:+.2f} %)')
    if report['refused']:
        print(f"refused {len(report['refused'])} files (left as they are):")
        for message in report['refused']:
            print(f'  {message}')


if __name__ == '__main__':
    run_tool(main)
