import os
import os.path as osp
import re
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'cuda: needs a CUDA device (tests/test_cuda; '
        'CDI_TEST_DEVICE=cpu runs them on the CPU)')


TINY_CLS = osp.join(REPO, 'tests', 'data', 'configs',
                    'tiny_cls_fashion_mnist.py')
TINY_SEG = osp.join(REPO, 'tests', 'data', 'configs',
                    'tiny_seg_fashion_scenes.py')


@pytest.fixture(scope='session')
def fashion_scenes_root(tmp_path_factory):
    """A small fashion-scenes set (16 train / 4 val scenes of 64x64)."""
    from cdi_mm.datasets import write_fashion_scenes
    root = str(tmp_path_factory.mktemp('fashion_scenes'))
    write_fashion_scenes(root, num_train=16, num_val=4, size=64, seed=0)
    return root


def tiny_config(kind, scenes_root):
    """Path and command-line options of the tiny ``'cls'`` or ``'seg'`` config
    (the segmentation one pointed at ``scenes_root``)."""
    if kind == 'cls':
        return TINY_CLS, []
    return TINY_SEG, ['--cfg-options'] + [
        f'{loader}.dataset.data_root={scenes_root}'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]


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


PYTHON = sys.executable


@pytest.fixture(scope='session')
def tiny_codecs(tmp_path_factory):
    """Tiny codec checkpoints at C=8/16/32 that stand in for the configs'
    codecs."""
    from test_tools.test_compress_dataset import save_codec_checkpoint
    root = tmp_path_factory.mktemp('codecs')
    paths = {}
    for channels in (8, 16, 32):
        paths[channels] = str(root / f'c{channels}.pth')
        save_codec_checkpoint(paths[channels], channels=channels)
    return paths
