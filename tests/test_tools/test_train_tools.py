"""The training tools run the tiny cdi_mm configs for real (subprocesses)."""
import glob
import os.path as osp
import re

import mmpretrain
import mmseg
import pytest
import torch
from helpers import PYTHON, REPO, free_port, run_tool, tiny_config
from mmengine.config import Config


def _last_checkpoint(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def _check_trained(work_dir, iters):
    from cdi_mm.safe_checkpoint import safe_load
    ckpt = safe_load(_last_checkpoint(work_dir))
    assert ckpt['meta']['iter'] == iters
    return ckpt


@pytest.mark.parametrize('config', ['cls', 'seg'])
def test_our_train_and_test_tools(config, tmp_path, fashion_scenes_root):
    cfg, opts = tiny_config(config, fashion_scenes_root)
    work_dir = str(tmp_path / 'work')
    run_tool([PYTHON, 'tools/train.py', cfg, '--work-dir', work_dir, *opts],
             cwd=REPO)
    _check_trained(work_dir, 4)
    out = run_tool([
        PYTHON, 'tools/test.py', cfg,
        _last_checkpoint(work_dir), '--work-dir', work_dir, *opts
    ],
                   cwd=REPO)
    assert ('accuracy/top1' if config == 'cls' else 'mIoU') in out.stdout


@pytest.mark.parametrize('package,config', [(mmpretrain, 'cls'),
                                            (mmseg, 'seg')])
def test_stock_train_tool_runs_cdi_mm_config(package, config, tmp_path,
                                             fashion_scenes_root):
    tool = osp.join(osp.dirname(package.__file__), '.mim', 'tools', 'train.py')
    assert osp.exists(tool), tool
    cfg, opts = tiny_config(config, fashion_scenes_root)
    work_dir = str(tmp_path / 'work')
    # the stock tools run single-process on CPU; SyncBN is reverted to BN by
    # the Runner
    run_tool([PYTHON, tool, cfg, '--work-dir', work_dir, *opts],
             cwd=str(tmp_path))
    _check_trained(work_dir, 4)


ZOO_SEGMENTER = 'deeplabv3_cresnet51-w16-d8_c8-preencoded_1xb8-1k_fashion-scenes-64x64'  # noqa: E501


def test_stock_test_tool_evaluates_the_zoo_segmenter(tmp_path,
                                                     fashion_scenes_root):
    """mmseg's own tools/test.py runs our shipped segmenter on its embedded
    config (fashion scenes pre-encoded with the shipped codec)."""
    from cdi_mm.apis import compress_dataset
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'deeplab', f'{ZOO_SEGMENTER}.py'))
    latents = str(tmp_path / 'scenes_c8')
    codec, = glob.glob(
        osp.join(REPO, 'checkpoints', 'torfason2018-n32_c8_*.pth'))
    compress_dataset(
        codec, fashion_scenes_root, latents, workers=0)  # writes the manifest
    checkpoint, = glob.glob(
        osp.join(REPO, 'checkpoints', f'{ZOO_SEGMENTER}_*.pth'))
    tool = osp.join(osp.dirname(mmseg.__file__), '.mim', 'tools', 'test.py')
    out = run_tool([
        PYTHON, tool,
        osp.join(REPO, cfg.filename), checkpoint, '--work-dir',
        str(tmp_path / 'work'), '--cfg-options',
        f'test_dataloader.dataset.data_root={latents}'
    ],
                   cwd=REPO)
    assert re.search(r'Iter\(test\) \[4/4\].*mIoU: [0-9.]+',
                     out.stdout + out.stderr)


@pytest.mark.parametrize('config', ['cls', 'seg'])
def test_dist_train_and_test_two_processes_on_cpu(config, tmp_path,
                                                  fashion_scenes_root):
    """tools/dist_train.sh and dist_test.sh: torchrun, 2 gloo processes."""
    cfg, opts = tiny_config(config, fashion_scenes_root)
    work_dir = str(tmp_path / 'work')
    env = {'CUDA_VISIBLE_DEVICES': '', 'PYTHON': PYTHON, 'PORT': free_port()}
    proc = run_tool([
        'bash', 'tools/dist_train.sh', cfg, '2', '--work-dir', work_dir, *opts
    ],
                    cwd=REPO,
                    env=env)
    ckpt = _check_trained(work_dir, 4)
    log = proc.stdout + proc.stderr
    # world size
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
    assert all(
        torch.isfinite(v).all() for v in ckpt['state_dict'].values()
        if v.is_floating_point())
    env['PORT'] = free_port()
    out = run_tool([
        'bash', 'tools/dist_test.sh', cfg,
        _last_checkpoint(work_dir), '2', '--work-dir', work_dir, *opts
    ],
                   cwd=REPO,
                   env=env)
    assert ('accuracy/top1' if config == 'cls' else 'mIoU') in out.stdout
