"""FLOPs (multiply-adds) and parameters of a classification config's task
network, and of its codec's encoder and decoder, at the same input size
(mmengine's counter).

    python tools/analysis_tools/get_flops.py CONFIG [--shape 224 224]

Prints mmengine's count of the network as configured and the paper's convention
(conv + fc multiply-adds, original ResNet blocks with the stride on the 1x1
conv); see cdi_mm/evaluation/complexity.py.
"""
import argparse
import importlib

from mmengine.config import Config
from mmengine.registry import DefaultScope

from cdi_mm.apis.cli import run_tool
from cdi_mm.evaluation.complexity import codec_complexity, task_complexity


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=[224, 224],
        metavar=('H', 'W'),
        help='image size (default 224 224)')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    scope = cfg.get('default_scope', 'mmpretrain')
    registry = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        model = registry.MODELS.build(cfg.model)
    size = tuple(args.shape)
    task = task_complexity(model, size)
    print(f'image size {size[0]}x{size[1]}; task network input '
          f'{task["input_shape"]}')
    print(f'task network: {task["flops"] / 1e9:.3f} GFLOPs (mmengine, as '
          f'configured), {task["params"] / 1e6:.2f} M params')
    print(f'task network, paper convention: {task["paper_gflops"]:.3f} GFLOPs')
    stem = getattr(model.backbone, 'stem', None)
    if stem is not None and hasattr(stem.codec, 'analysis'):
        codec = codec_complexity(stem.codec, size)
        print(f'codec encoder: {codec["encoder_flops"] / 1e9:.3f} GFLOPs, '
              f'{codec["encoder_params"] / 1e6:.2f} M params')
        print(f'codec decoder: {codec["decoder_flops"] / 1e9:.3f} GFLOPs, '
              f'{codec["decoder_params"] / 1e6:.2f} M params')


if __name__ == '__main__':
    run_tool(main)
