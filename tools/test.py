"""Evaluate a checkpoint (mmpretrain or mmseg config) with the mmengine
Runner::

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out results.pkl]
    torchrun --nproc_per_node=2 tools/test.py CONFIG CHECKPOINT \
        --launcher pytorch
"""
import argparse
import os.path as osp

from mmengine.config import Config
from mmengine.evaluator import DumpResults
from mmengine.runner import Runner

from cdi_mm.apis.cli import run_tool
from cdi_mm.engine import close_dist, init_cpu_dist
from cdi_mm.engine.runner_args import add_common_args, apply_common_args


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint', help='checkpoint file (weights-only loading)')
    parser.add_argument(
        '--out', help='dump raw predictions to this pickle file')
    return add_common_args(parser).parse_args()


def prepare():
    """Arguments and config; bad ones end the tool with one line (``--debug``:
    traceback)."""
    args = parse_args()
    if '://' not in args.checkpoint and not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'{args.checkpoint}: no such checkpoint file')
    cfg = apply_common_args(Config.fromfile(args.config), args)
    cfg.load_from = args.checkpoint
    return args, cfg


def main():
    args, cfg = run_tool(prepare)
    init_cpu_dist(args.launcher)
    runner = Runner.from_cfg(cfg)
    if args.out is not None:
        runner.test_evaluator.metrics.append(
            DumpResults(out_file_path=args.out))
    metrics = runner.test()
    print({k: round(float(v), 4) for k, v in metrics.items()})
    del runner
    close_dist()


if __name__ == '__main__':
    main()
