"""Train a cdi_mm model (mmpretrain or mmseg config) with the mmengine Runner.

Works on GPU machines as the stock OpenMMLab tools do, and on CPU-only machines
with several processes (gloo, DDP without device_ids, BN for SyncBN)::

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
    torchrun --nproc_per_node=2 tools/train.py CONFIG --launcher pytorch
"""
import argparse
import os.path as osp

from mmengine.config import Config
from mmengine.runner import Runner

from cdi_mm.apis.cli import run_tool
from cdi_mm.engine import close_dist, init_cpu_dist
from cdi_mm.engine.runner_args import add_common_args, apply_common_args


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or from the latest '
        'checkpoint in the work dir when no path is given')
    parser.add_argument(
        '--amp', action='store_true', help='enable automatic mixed precision')
    return add_common_args(parser).parse_args()


def merge_args(cfg, args):
    """Apply the command-line options to ``cfg`` (as mmpretrain's and mmseg's
    tools do)."""
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(
                f'--amp needs OptimWrapper or AmpOptimWrapper, got {wrapper}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        if '://' not in args.resume and not osp.isfile(args.resume):
            raise FileNotFoundError(
                f'--resume {args.resume}: no such checkpoint file')
        cfg.resume = True
        cfg.load_from = args.resume
    return apply_common_args(cfg, args)


def prepare():
    """Arguments and config; bad ones end the tool with one line (``--debug``:
    traceback)."""
    args = parse_args()
    return args, merge_args(Config.fromfile(args.config), args)


def main():
    args, cfg = run_tool(prepare)
    init_cpu_dist(args.launcher)
    Runner.from_cfg(cfg).train()
    close_dist()


if __name__ == '__main__':
    main()
