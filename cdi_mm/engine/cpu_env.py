"""Make OpenMMLab configs and launchers run on machines without a GPU.

mmengine's launchers assume CUDA: ``_init_dist_pytorch`` and
``_init_dist_slurm`` call ``torch.cuda.set_device``, DDP gets
``device_ids=[LOCAL_RANK]`` and mmseg's bases use SyncBN.
:func:`adapt_cfg_for_device` and :func:`init_cpu_dist` fix these when
``torch.cuda.is_available()`` is False and leave GPU runs untouched.
"""
import gc
import os
import subprocess

import torch
import torch.distributed as dist

__all__ = [
    'adapt_cfg_for_device', 'close_dist', 'init_cpu_dist', 'replace_sync_bn'
]


def replace_sync_bn(node):
    """Recursively replace ``type='SyncBN'`` norm configs by ``'BN'`` (in
    place)."""
    if isinstance(node, dict):
        if node.get('type') == 'SyncBN':
            node['type'] = 'BN'
        for value in node.values():
            replace_sync_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            replace_sync_bn(value)
    return node


def adapt_cfg_for_device(cfg, launcher):
    """Adapt a config in place for CPU-only training; no-op when CUDA is
    present.

    Args:
        cfg (mmengine.Config): The config to adapt.
        launcher (str): ``'none'``, ``'pytorch'`` or ``'slurm'``.
    """
    if torch.cuda.is_available():
        return cfg
    replace_sync_bn(cfg.model)
    if cfg.get('sync_bn'):
        cfg.sync_bn = None
    if launcher != 'none':
        env_cfg = cfg.setdefault('env_cfg', {})
        env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
        wrapper = cfg.get('model_wrapper_cfg') or {}
        if wrapper.get(
                'type',
                'MMDistributedDataParallel') == 'MMDistributedDataParallel':
            wrapper['type'] = 'DeviceAgnosticDDP'
            wrapper.setdefault('broadcast_buffers', False)
            wrapper.setdefault('find_unused_parameters',
                               cfg.get('find_unused_parameters', False))
            cfg.model_wrapper_cfg = wrapper
    return cfg


def _slurm_env():
    """Translate Slurm's task variables into torch.distributed's env://
    variables."""
    nodelist = os.environ['SLURM_NODELIST']
    addr = subprocess.check_output(['scontrol', 'show', 'hostname', nodelist],
                                   text=True).split()[0]
    os.environ.setdefault('MASTER_ADDR', addr)
    os.environ.setdefault('MASTER_PORT', '29500')
    os.environ['RANK'] = os.environ['SLURM_PROCID']
    os.environ['WORLD_SIZE'] = os.environ['SLURM_NTASKS']
    os.environ['LOCAL_RANK'] = os.environ.get('SLURM_LOCALID', '0')


def init_cpu_dist(launcher):
    """Initialise a gloo process group for ``launcher`` on a CPU-only machine.

    Does nothing when CUDA is available (mmengine then initialises NCCL
    itself), when ``launcher`` is ``'none'`` or when a process group already
    exists.
    """
    if torch.cuda.is_available() or launcher == 'none' or dist.is_initialized(
    ):
        return
    if launcher == 'slurm':
        _slurm_env()
    elif launcher != 'pytorch':
        raise ValueError(
            f'launcher {launcher!r} is not supported on CPU; use pytorch or '
            'slurm')
    dist.init_process_group(
        backend='gloo',
        init_method='env://',
        rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']))


def close_dist():
    """Free the finished run and destroy the process group while the
    interpreter is still fully alive.

    A Runner lives in reference cycles, so its DDP wrapper (whose reducer holds
    the gloo process group and its worker threads) is otherwise only freed
    during interpreter finalization, where a gloo worker can abort the process
    (SIGABRT) after a run that finished, and torchrun reports the job as
    failed. Call it after the last reference to the Runner is gone.
    """
    if dist.is_available() and dist.is_initialized():
        gc.collect()
        dist.barrier()
        dist.destroy_process_group()
