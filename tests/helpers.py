"""Helpers shared by the tests (fixtures live in conftest.py)."""
import datetime
import importlib.util
import os
import os.path as osp
import re
import socket
import subprocess
import sys

import pytest
import torch
from hypothesis import HealthCheck, settings
from mmengine.config import Config

from cdi_mm.codecs import Torfason2018, build_codec, codec_checkpoint_dict

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PYTHON = sys.executable
TINY_CLS = osp.join(REPO, 'tests', 'data', 'configs',
                    'tiny_cls_fashion_mnist.py')
TINY_SEG = osp.join(REPO, 'tests', 'data', 'configs',
                    'tiny_seg_fashion_scenes.py')
PREENCODED_CLS = f'{REPO}/configs/cresnet/cresnet39-w32_c8-preencoded_1xb32-2k_fashion-mnist.py'  # noqa: E501
TINY_CODEC_CFG = dict(
    type='torfason2018', channels=4, N=8, num_groups=1, blocks_per_group=1)


def save_codec_checkpoint(path, seed=0, channels=4):
    """A codec checkpoint as a training run writes it (weights +
    meta['codecs'])."""
    torch.manual_seed(seed)
    codec = build_codec(dict(TINY_CODEC_CFG, channels=channels)).eval()
    codec.update(force=True)
    torch.save(codec_checkpoint_dict(codec), path)
    return codec


def tiny_config(kind, scenes_root):
    """Path and command-line options of the tiny ``'cls'`` or ``'seg'`` config
    (the segmentation one pointed at ``scenes_root``)."""
    if kind == 'cls':
        return TINY_CLS, []
    return TINY_SEG, ['--cfg-options'] + [
        f'{loader}.dataset.data_root={scenes_root}'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]


def load_tool(path):
    """A tool script (``tools/...py``, relative to the repository) as a module,
    to call its functions in-process."""
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(args, cwd, timeout=600, env=None, check=True):
    """Run a Python tool in a subprocess; fail the test with its output if it
    fails (unless ``check`` is False)."""
    full_env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='1')
    full_env.update(env or {})
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout)
    if check and proc.returncode != 0:
        # The lines that name a failure first: long logs get cut in CI
        # summaries.
        errors = [
            line for line in proc.stderr.splitlines() if re.search(
                r'Error|Exception|terminate|what\(\)|Abort|exitcode', line)
        ]
        pytest.fail(f'{" ".join(args)} exited {proc.returncode}\n'
                    f'--- error lines ---\n' + '\n'.join(errors[-40:]) + '\n'
                    f'--- stdout ---\n{proc.stdout[-4000:]}\n'
                    f'--- stderr ---\n{proc.stderr[-6000:]}')
    return proc


def tiny_codec(quantizer='ste-centers', channels=8, seed=0):
    torch.manual_seed(seed)
    return Torfason2018(
        channels=channels,
        N=16,
        num_groups=1,
        blocks_per_group=1,
        quantizer=quantizer)


def warmed_up(codec, steps=3):
    """A few training forwards (histogram statistics / BN stats), then eval +
    tables."""
    codec.train()
    with torch.no_grad():
        for i in range(steps):
            codec(
                torch.rand(
                    2, 3, 32, 32, generator=torch.Generator().manual_seed(i)))
    codec.eval()
    codec.update(force=True)
    return codec


def fuzz_settings(examples):
    # the deadline only catches hangs: a case takes about a millisecond
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=datetime.timedelta(seconds=10),
        suppress_health_check=[HealthCheck.too_slow])


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return str(sock.getsockname()[1])


def latent_classifier_cfg(tmp_path, ckpt, data_root, **overrides):
    """The pre-encoded cResNet-39 config on ``data_root`` with codec ``ckpt``,
    2 iterations of batch 4, working in ``tmp_path``."""
    from mmengine.config import Config

    from cdi_mm.apis import set_codec_checkpoint
    cfg = Config.fromfile(PREENCODED_CLS)
    set_codec_checkpoint(cfg, ckpt)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
        cfg[loader].batch_size = 4
    cfg.train_cfg = dict(by_epoch=False, max_iters=2, val_interval=2)
    cfg.default_hooks.checkpoint.interval = 2
    cfg.work_dir = str(tmp_path)
    cfg.merge_from_dict(overrides)
    return cfg


def two_iteration_config(config, data_root, work_dir):
    """A distillation config shrunk for a test: every loader on
    ``data_root`` with batches of 3 in the main process, 2 iterations at a
    constant learning rate, validated at the end."""
    cfg = Config.fromfile(config)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
        cfg[loader].batch_size = 3
        cfg[loader].num_workers = 0
        cfg[loader].persistent_workers = False
    cfg.param_scheduler = None
    cfg.train_cfg = dict(by_epoch=False, max_iters=2, val_interval=2)
    cfg.work_dir = work_dir
    return cfg
