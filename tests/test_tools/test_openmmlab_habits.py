"""OpenMMLab habits: ``mim train cdi_mm CONFIG`` and ``mim test cdi_mm CONFIG
--checkpoint X`` find our tools through ``cdi_mm/.mim`` (setup.py); tools
start without the libraries' deprecation warnings."""
import os.path as osp

from helpers import PYTHON, REPO, TINY_CLS, run_tool


def test_mim_trains_and_tests_a_config(tmp_path):
    mim = [PYTHON, '-m', 'mim']
    assert osp.isfile(osp.join(REPO, 'cdi_mm', '.mim', 'tools', 'train.py'))
    train = run_tool(
        mim + ['train', 'cdi_mm', TINY_CLS, '--work-dir',
               str(tmp_path)],
        cwd=REPO)
    assert 'Training finished successfully' in train.stdout
    assert (tmp_path / 'iter_4.pth').exists()
    test = run_tool(
        mim + [
            'test', 'cdi_mm', TINY_CLS, '--checkpoint',
            str(tmp_path / 'iter_4.pth'), '--work-dir',
            str(tmp_path / 'test')
        ],
        cwd=REPO)
    assert 'Testing finished successfully' in test.stdout
    assert "'accuracy/top1'" in test.stdout


def test_tools_start_without_library_warnings():
    """No FutureWarning / UserWarning from torch.jit or pkg_resources before a
    tool says anything (setup.py pins setuptools below 80.9)."""
    proc = run_tool([PYTHON, 'tools/train.py', '--help'], cwd=REPO)
    assert 'Warning' not in proc.stderr, proc.stderr
