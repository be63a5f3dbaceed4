"""Slurm for real: a one-node cluster on localhost runs tools/slurm_train.sh
with 2 CPU tasks (tests/integration/slurm_smoke.sh; about 25 s here once the
packages are in)."""
import os
import shutil

import pytest
from helpers import PYTHON, REPO, TINY_CLS, run_tool

can_run = os.geteuid() == 0 and (shutil.which('slurmctld')
                                 or shutil.which('apt-get'))


@pytest.mark.skipif(
    not can_run, reason='needs root and Slurm or apt-get to install it')
def test_slurm_train_two_tasks(tmp_path):
    proc = run_tool(
        ['bash', 'tests/integration/slurm_smoke.sh',
         str(tmp_path), TINY_CLS],
        cwd=REPO,
        env={
            'PYTHON': PYTHON,
            'CUDA_VISIBLE_DEVICES': ''
        })
    assert '[slurm-smoke] OK: 2 tasks' in proc.stdout
    assert (tmp_path / 'train' / 'iter_4.pth').exists()
