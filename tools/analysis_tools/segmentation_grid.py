"""A grid of segmentation overlays on val scenes: scene, ground truth, and the
prediction of each model, one scene per row.

    python tools/analysis_tools/segmentation_grid.py SCENE_ROOT OUT.png \
        --model 'cResNet-51-d, latent C=8' CONFIG CHECKPOINT \
        --model 'ResNet-50-d, decoded C=8' CONFIG CHECKPOINT [--count 6]

Each model reads its own input for a scene (the ``.cdi`` of a pre-encoded
config, the decoded or original image otherwise), found in its config's test
data set; ``SCENE_ROOT`` gives the pictures and ground truth shown.
"""
import argparse

from cdi_mm.apis import init_model, segmentation_grid
from cdi_mm.apis.cli import run_tool


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('scene_root', help='scenes in mmseg layout')
    parser.add_argument('out', help='PNG to write')
    parser.add_argument(
        '--model',
        nargs=3,
        action='append',
        required=True,
        metavar=('TITLE', 'CONFIG', 'CHECKPOINT'),
        help='a column: its title, config and checkpoint (repeat)')
    parser.add_argument('--count', type=int, default=6, help='scenes (rows)')
    parser.add_argument('--split', default='val')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    models = [(title, init_model(config, checkpoint))
              for title, config, checkpoint in args.model]
    print(
        segmentation_grid(args.scene_root, models, args.out, args.count,
                          args.split))


if __name__ == '__main__':
    run_tool(main)
