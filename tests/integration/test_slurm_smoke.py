"""Slurm for real: a one-node cluster on localhost runs tools/slurm_train.sh
with 2 CPU tasks (tests/integration/slurm_smoke.sh; about 25 s here once the
packages are in)."""
import os
import shutil

import pytest
from helpers import PYTHON, REPO, TINY_CLS, run_tool

can_run = os.geteuid() == 0 and (shutil.which('slurmctld')
                                 or shutil.which('apt-get'))


def _smoke(*args):
    return run_tool(['bash', 'tests/integration/slurm_smoke.sh', *args],
                    cwd=REPO,
                    env={
                        'PYTHON': PYTHON,
                        'CUDA_VISIBLE_DEVICES': ''
                    })


@pytest.mark.skipif(
    not can_run, reason='needs root and Slurm or apt-get to install it')
def test_slurm_train_and_compress_array(tmp_path, tiny_codecs):
    """One test, so that its two clusters on localhost run one after the
    other even with two pytest-xdist workers: tools/slurm_train.sh with 2
    tasks, then tools/slurm_compress_dataset.sh as an array of 3 tasks and its
    finalize, whose tree is the one an unsharded run writes."""
    import filecmp

    import numpy as np
    from PIL import Image

    from cdi_mm.apis import compress_dataset
    proc = _smoke(str(tmp_path / 'train_job'), 'train', TINY_CLS)
    assert '[slurm-smoke] OK: 2 tasks' in proc.stdout
    assert (tmp_path / 'train_job' / 'train' / 'iter_4.pth').exists()

    src = tmp_path / 'src'
    rng = np.random.default_rng(0)
    for i in range(9):
        path = src / f'c{i % 3}' / f'{i}.png'
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (24, 32, 3),
                                     dtype=np.uint8)).save(path)
    proc = _smoke(
        str(tmp_path / 'slurm'), 'compress', tiny_codecs[8], str(src), '3')
    assert ('[slurm-smoke] OK: array of 3 tasks, encoded 9 images'
            in proc.stdout)
    compress_dataset(tiny_codecs[8], str(src), str(tmp_path / 'one'))
    for i in range(9):
        rel = f'c{i % 3}/{i}.cdi'
        assert filecmp.cmp(
            tmp_path / 'one' / rel,
            tmp_path / 'slurm' / 'latents' / rel,
            shallow=False)
