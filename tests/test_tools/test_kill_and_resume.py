"""Crash and resume: training and dataset encoding are killed with SIGKILL
midway and restarted; the results equal those of uninterrupted runs."""
import glob
import json
import os
import os.path as osp
import re
import signal
import subprocess
import time

import numpy as np
import torch
from helpers import PYTHON, REPO, TINY_CLS, run_tool, save_codec_checkpoint
from PIL import Image

from cdi_mm.safe_checkpoint import safe_load

ENV = dict(
    os.environ,
    PYTHONUNBUFFERED='1',
    OMP_NUM_THREADS='1',
    CUDA_VISIBLE_DEVICES='')


def start_killable(args, log):
    """Start ``args`` in its own process group (so its workers die with it)."""
    return subprocess.Popen(
        args,
        cwd=REPO,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True)


def kill_when(proc, ready, timeout=300):
    """SIGKILL ``proc``'s process group as soon as ``ready()`` holds; fail if
    the process ends first (the test would not test a kill)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll(
        ) is None, 'the process finished before it could be killed'
        assert time.monotonic() < deadline, 'timed out waiting to kill'
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


TRAIN_OPTS = [
    '--cfg-options', 'train_cfg.max_iters=16', 'train_cfg.val_interval=8',
    'default_hooks.checkpoint.interval=2'
]


def _final_accuracy(work_dir):
    """The last ``accuracy/top1`` the run logged (vis_data/scalars.json; a
    resumed run has one folder per start)."""
    lines = [
        json.loads(line) for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
        for line in open(path)
    ]
    return [
        line['accuracy/top1'] for line in lines if 'accuracy/top1' in line
    ][-1]


def test_training_killed_and_resumed_equals_uninterrupted(tmp_path):
    reference = str(tmp_path / 'reference')
    run_tool([
        PYTHON, 'tools/train.py', TINY_CLS, '--work-dir', reference,
        *TRAIN_OPTS
    ],
             cwd=REPO)

    work_dir = str(tmp_path / 'killed')
    with open(tmp_path / 'killed.log', 'w') as log:
        proc = start_killable([
            PYTHON, 'tools/train.py', TINY_CLS, '--work-dir', work_dir,
            *TRAIN_OPTS
        ], log)
        kill_when(proc,
                  lambda: osp.exists(osp.join(work_dir, 'last_checkpoint')))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        killed_at = safe_load(f.read().strip())['meta']['iter']
    assert killed_at < 16
    out = run_tool([
        PYTHON, 'tools/train.py', TINY_CLS, '--work-dir', work_dir, '--resume',
        *TRAIN_OPTS
    ],
                   cwd=REPO)
    assert f'resumed epoch: 0, iter: {killed_at}' in out.stdout + out.stderr

    expected = safe_load(osp.join(reference, 'iter_16.pth'))
    resumed = safe_load(osp.join(work_dir, 'iter_16.pth'))
    assert resumed['meta']['iter'] == 16
    assert expected['state_dict'].keys() == resumed['state_dict'].keys()
    for key, value in expected['state_dict'].items():
        assert torch.equal(value, resumed['state_dict'][key]), key
    assert _final_accuracy(work_dir) == _final_accuracy(
        reference)  # val at iter 16


def _cdi_files(root):
    return {
        osp.relpath(p, root): open(p, 'rb').read()
        for p in glob.glob(osp.join(root, '**', '*.cdi'), recursive=True)
    }


def test_compress_dataset_killed_and_restarted_equals_uninterrupted(tmp_path):
    src = tmp_path / 'src'
    rng = np.random.default_rng(0)
    for i in range(600):
        sub = src / f'part{i % 3}'
        sub.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (24, 32, 3),
                                     dtype=np.uint8)).save(sub / f'{i}.png')
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    tool = [PYTHON, 'tools/compress_dataset.py', ckpt, str(src)]
    reference = str(tmp_path / 'reference')
    run_tool(tool + [reference, '--workers', '2'], cwd=REPO)

    dst = str(tmp_path / 'dst')
    with open(tmp_path / 'killed.log', 'w') as log:
        proc = start_killable(tool + [dst, '--workers', '2'], log)
        kill_when(proc,
                  lambda: len(glob.glob(osp.join(dst, '*', '*.cdi'))) >= 30)
    done = _cdi_files(dst)
    assert 30 <= len(done) < 600
    # what a kill in the middle of a write leaves: a truncated file (were it
    # not for the rename) and the dead writer's temporary file
    some = sorted(done)[0]
    with open(osp.join(dst, some), 'wb') as f:
        f.write(done[some][:len(done[some]) // 2])
    with open(osp.join(dst, some + '.cdi-tmp99999'), 'wb') as f:
        f.write(b'CDIM')
    with open(osp.join(dst, 'notes.tmp5'), 'wb') as f:  # not this tool's: kept
        f.write(b'mine')

    out = run_tool(tool + [dst, '--workers', '2'], cwd=REPO)
    # every finished file is kept except the broken one (and, were a worker
    # killed between its rename and its journal line, that one file per worker)
    valid = int(re.search(r'\((\d+) already valid', out.stdout).group(1))
    assert len(done) - 3 <= valid <= len(done) - 1
    assert _cdi_files(dst) == _cdi_files(reference)
    assert not glob.glob(osp.join(dst, '**', '*.cdi-tmp*'), recursive=True)
    assert open(osp.join(dst, 'notes.tmp5'), 'rb').read() == b'mine'
