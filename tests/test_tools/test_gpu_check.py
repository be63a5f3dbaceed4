import json
import subprocess

from helpers import REPO


def test_gpu_check_dry_run_runs_everything_on_the_cpu(tmp_path):
    """The GPU day script works before a GPU is there: its cuda tests pass on
    the CPU and it writes the JSON and markdown summaries."""
    proc = subprocess.run(
        ['bash', 'tools/experiments/gpu_check.sh',
         str(tmp_path), '--dry-run'],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = json.load(open(tmp_path / 'gpu_check.json'))
    assert summary['dry_run'] and summary['cuda_tests']['failures'] == 0
    assert summary['cuda_tests']['tests'] >= 7 and summary['cuda_tests'][
        'skipped'] == 0
    assert {(r['path'], r['batch'])
            for r in summary['throughput']['inference']} == {('A', 2),
                                                             ('B', 2),
                                                             ('C', 2)}
    assert summary['throughput']['codec_training']['iters_per_s'] > 0
    assert {(r['path'], r['workers'])
            for r in summary['loader']['rows']} >= {('jpeg', 1),
                                                    ('c32 cdi-v2-symbols', 1)}
    assert summary['loader']['encoding'][0]['images_per_s'] > 0
    markdown = (tmp_path / 'gpu_check.md').read_text()
    assert '| A | 2 |' in markdown
    assert '| c32 cdi-v2-symbols | default_collate | 1 |' in markdown
