"""Slurm for real: a one-node cluster on localhost runs tools/slurm_train.sh
with 2 CPU tasks (tests/integration/slurm_smoke.sh; about 25 s here once the
packages are in)."""
import os
import shutil

import pytest
from helpers import PYTHON, REPO, TINY_CLS, run_tool

can_run = os.geteuid() == 0 and (shutil.which('slurmctld')
                                 or shutil.which('apt-get'))
# one cluster on localhost at a time: both tests on one pytest-xdist worker
pytestmark = pytest.mark.xdist_group('slurm')


@pytest.mark.skipif(
    not can_run, reason='needs root and Slurm or apt-get to install it')
def test_slurm_train_two_tasks(tmp_path):
    proc = run_tool([
        'bash', 'tests/integration/slurm_smoke.sh',
        str(tmp_path), 'train', TINY_CLS
    ],
                    cwd=REPO,
                    env={
                        'PYTHON': PYTHON,
                        'CUDA_VISIBLE_DEVICES': ''
                    })
    assert '[slurm-smoke] OK: 2 tasks' in proc.stdout
    assert (tmp_path / 'train' / 'iter_4.pth').exists()


@pytest.mark.skipif(
    not can_run, reason='needs root and Slurm or apt-get to install it')
def test_slurm_compress_array(tmp_path, tiny_codecs):
    """tools/slurm_compress_dataset.sh as an array of 3 tasks, then its
    finalize; the tree is the one an unsharded run writes."""
    import filecmp

    import numpy as np
    from PIL import Image

    from cdi_mm.apis import compress_dataset
    src = tmp_path / 'src'
    rng = np.random.default_rng(0)
    for i in range(9):
        path = src / f'c{i % 3}' / f'{i}.png'
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (24, 32, 3),
                                     dtype=np.uint8)).save(path)
    proc = run_tool([
        'bash', 'tests/integration/slurm_smoke.sh',
        str(tmp_path / 'slurm'), 'compress', tiny_codecs[8],
        str(src), '3'
    ],
                    cwd=REPO,
                    env={
                        'PYTHON': PYTHON,
                        'CUDA_VISIBLE_DEVICES': ''
                    })
    assert ('[slurm-smoke] OK: array of 3 tasks, encoded 9 images'
            in proc.stdout)
    compress_dataset(tiny_codecs[8], str(src), str(tmp_path / 'one'))
    for i in range(9):
        rel = f'c{i % 3}/{i}.cdi'
        assert filecmp.cmp(
            tmp_path / 'one' / rel,
            tmp_path / 'slurm' / 'latents' / rel,
            shallow=False)
