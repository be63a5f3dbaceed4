"""tools/analysis_tools/benchmark.py end to end at the paper's widths, on small
inputs."""
import json

from helpers import PYTHON, REPO, run_tool


def test_benchmark_builds_every_path_from_its_config(tmp_path):
    out = tmp_path / 'bench'
    run_tool([
        PYTHON, 'tools/analysis_tools/benchmark.py', '--out',
        str(out), '--batch-sizes', '1', '2', '--sizes', '64', '--seg-size',
        '128', '--min-run-time', '0.01', '--threads', '2'
    ],
             cwd=REPO)
    report = json.load(open(out / 'benchmark.json'))
    assert set(report['configs']) == {
        'codec', 'cls_latent', 'cls_decoded', 'seg_latent', 'seg_decoded'
    }
    assert [r['batch'] for r in report['classification']] == [1, 2]
    for row in report['classification']:
        assert all(row[k] > 0 for k in ('A', 'B', 'C', 'A/B', 'A/C'))
    g = report['gflops']
    # B adds the synthesis transform to C's ResNet-50; A reads the 8x smaller
    # latent
    assert g['cls_B'] > g['cls_C'] > g['cls_A'] > 0
    assert g['seg_B'] > g['seg_A'] > g['seg_A_backbone'] > 0
    assert g['seg_B_backbone'] < g['seg_B']
    growth, = report['growth']
    assert growth['size'] == 64 and all(
        growth[f'{k}_ms'] > 0 and f'{k}_peak_MiB' in growth for k in 'ABC')
    seg = report['segmentation']
    assert seg['size'] == 128 and seg['A_ms'] > 0 and seg['B_ms'] > 0
    storage = report['storage']
    assert storage['cdi'] < storage[
        'png'] and 1 <= storage['jpeg_quality'] <= 95
    assert report['coding']['entropy_decode_images_per_s'] > 0
    assert report['coding']['entropy_decode_symbols_images_per_s'] > 0
    assert (out / 'codec_random_weights_photo_tables.pth').exists()
    assert (out / 'throughput_vs_size.png').stat().st_size > 0
    assert '| 2 |' in (out / 'benchmark.md').read_text()
