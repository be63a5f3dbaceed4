import json

from helpers import PYTHON, REPO, run_tool, save_codec_checkpoint


def test_loader_benchmark_measures_both_paths(tmp_path):
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    run_tool([
        PYTHON, 'tools/analysis_tools/loader_benchmark.py', ckpt, '--out',
        str(tmp_path / 'out'), '--images', '6', '--workers', '1', '2',
        '--batch-size', '2', '--batches-per-worker', '2', '--photos',
        str(tmp_path / 'no_pool')
    ],
             cwd=REPO)
    result = json.load(open(tmp_path / 'out' / 'loader_benchmark.json'))
    rows = {(r['path'], r['workers']): r for r in result['rows']}
    assert set(rows) == {('jpeg', 1), ('jpeg', 2), ('cdi', 1), ('cdi', 2)}
    assert all(r['images_per_s'] > 0 for r in rows.values())
    # a .cdi of a 500x375 image is far smaller than its quality-90 JPEG
    assert rows['cdi', 1]['bytes_per_image'] < rows['jpeg',
                                                    1]['bytes_per_image']
    assert len(list((tmp_path / 'out' / 'jpeg').iterdir())) == 6
    assert '| cdi | 2 |' in (tmp_path / 'out' /
                             'loader_benchmark.md').read_text()
    encoding = result['encoding']
    assert [r['workers'] for r in encoding['rows']] == [1, 2]
    assert all(r['images_per_s'] > 0 for r in encoding['rows'])
    # the paper-width encoder (N=128, 16 residual blocks) costs more than the
    # tiny one
    assert encoding['paper_width_analysis_s_per_image'] > encoding[
        'analysis_s_per_image']
    assert encoding['paper_width_imagenet_core_days'] > encoding[
        'imagenet_core_days'] > 0
    assert len(list((tmp_path / 'out' / 'cdi').glob('*.cdi'))) == 6
