"""tools/analysis_tools/fuzz_cdi.py on a tiny codec: every kind of case runs,
all are refused, and the report is written."""
import json

from helpers import PYTHON, REPO, run_tool, save_codec_checkpoint


def test_fuzz_tool_refuses_every_forged_file(tmp_path):
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt, channels=8)
    out = tmp_path / 'fuzz.json'
    run_tool([
        PYTHON, 'tools/analysis_tools/fuzz_cdi.py', ckpt, '--cases', '80',
        '--out',
        str(out)
    ],
             cwd=REPO,
             timeout=300)
    (report, ) = json.loads(out.read_text())
    assert report['cases'] + report['unforgeable'] == 80
    assert report['refused'] + report['decoded'] == report['cases'] >= 60
    assert report['failures'] == []
