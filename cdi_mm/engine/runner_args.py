"""Command-line options shared by tools/train.py and tools/test.py."""
import os
import os.path as osp

from mmengine.config import DictAction

from .cpu_env import adapt_cfg_for_device

__all__ = ['add_common_args', 'apply_common_args']


def add_common_args(parser):
    """Add ``--work-dir``, ``--cfg-options``, ``--launcher`` and
    ``--local-rank``."""
    parser.add_argument(
        '--work-dir', help='the dir to save logs, models and metrics')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value pairs')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def apply_common_args(cfg, args):
    """Apply the shared options to ``cfg`` and adapt it to the device (CPU:
    gloo, DDP without device_ids, BN for SyncBN). Work dir default:
    ``work_dirs/<config name>``."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return adapt_cfg_for_device(cfg, args.launcher)
