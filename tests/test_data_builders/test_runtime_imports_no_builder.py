"""Training imports the data sets and transforms, never the builders."""
import subprocess
import sys

from helpers import REPO


def test_openmmlab_registration_imports_no_builder():
    code = ('import sys, cdi_mm.openmmlab; '
            'print(sorted(m for m in sys.modules '
            "if m.startswith('cdi_mm.data_builders')))")
    out = subprocess.run([sys.executable, '-c', code],
                         cwd=REPO,
                         capture_output=True,
                         text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == '[]'
