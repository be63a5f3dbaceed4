"""The version-2 tile decoder built with AddressSanitizer and
UndefinedBehaviorSanitizer, driven with 3,000 hostile blobs
(``tests/data/tiled_rans_fuzz_driver.py``): any read outside a buffer or
undefined behaviour aborts the run."""
import os.path as osp
import shutil
import subprocess
import sys
import sysconfig

import pytest
from helpers import REPO

SOURCE = osp.join(REPO, 'cdi_mm', 'codecs', 'csrc', 'tiled_rans.c')
DRIVER = osp.join(REPO, 'tests', 'data', 'tiled_rans_fuzz_driver.py')


def _libasan():
    if shutil.which('gcc') is None:
        return None
    path = subprocess.run(['gcc', '-print-file-name=libasan.so'],
                          capture_output=True,
                          text=True).stdout.strip()
    return path if osp.isabs(path) and osp.exists(path) else None


@pytest.mark.skipif(_libasan() is None, reason='needs gcc with libasan')
def test_tile_decoder_under_sanitizers(tmp_path):
    module = tmp_path / ('_tiled_rans' +
                         sysconfig.get_config_var('EXT_SUFFIX'))
    subprocess.run([
        'gcc', '-shared', '-fPIC', '-O1', '-g', '-fno-omit-frame-pointer',
        '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined',
        f'-I{sysconfig.get_paths()["include"]}', SOURCE, '-o',
        str(module)
    ],
                   check=True)
    proc = subprocess.run(
        [sys.executable, DRIVER, str(tmp_path), '3000'],
        env=dict(
            LD_PRELOAD=_libasan(),
            ASAN_OPTIONS='detect_leaks=0',
            PATH='/usr/bin:/bin'),
        capture_output=True,
        text=True,
        timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert 'ok: 3000 hostile blobs' in proc.stdout
