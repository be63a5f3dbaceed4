import json

import numpy as np
from helpers import PYTHON, REPO, run_tool, save_codec_checkpoint
from PIL import Image

from cdi_mm.evaluation.loader_throughput import (config_train_pipeline,
                                                 find_images)


def test_loader_benchmark_measures_every_path_and_collate(tmp_path):
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt, channels=8)
    photos = tmp_path / 'photos' / 'nested' / 'deeper'  # any layout
    photos.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(2):
        Image.fromarray(rng.integers(0, 255, (400, 520, 3),
                                     dtype=np.uint8)).save(photos / f'{i}.png')
    proc = run_tool([
        PYTHON, 'tools/analysis_tools/loader_benchmark.py', ckpt, '--out',
        str(tmp_path / 'out'), '--images', '4', '--workers', '1',
        '--batch-size', '2', '--batches-per-worker', '2', '--photos',
        str(tmp_path / 'photos')
    ],
                    cwd=REPO)
    assert f"JPEGs cut from 2 photos under {tmp_path / 'photos'}" in \
        proc.stdout
    result = json.load(open(tmp_path / 'out' / 'loader_benchmark.json'))
    rows = {(r['path'], r['collate']): r for r in result['rows']}
    paths = ('jpeg', 'jpeg-pillow', 'c8 cdi-v1-float', 'c8 cdi-v2-float',
             'c8 cdi-v2-symbols')
    assert set(rows) == {(p, c)
                         for p in paths
                         for c in ('pseudo_collate', 'default_collate')}
    assert all(r['images_per_s'] > 0 for r in rows.values())
    # a .cdi of a 500x375 image is far smaller than its quality-90 JPEG
    assert rows['c8 cdi-v2-symbols', 'pseudo_collate']['bytes_per_image'] \
        < rows['jpeg', 'pseudo_collate']['bytes_per_image']
    size = result['sizes'][0]
    assert size['channels'] == 8 and size['v2_bytes'] > 0
    assert result['decoder_ns_per_symbol'][0]['v2_crop28'] > 0
    assert len(list((tmp_path / 'out' / 'c8-v2').glob('*.cdi'))) == 4


def test_loader_benchmark_refuses_photos_it_cannot_use(tmp_path):
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    (tmp_path / 'empty').mkdir()
    for folder in ('empty', 'missing'):
        proc = run_tool([
            PYTHON, 'tools/analysis_tools/loader_benchmark.py', ckpt, '--out',
            str(tmp_path / 'out'), '--photos',
            str(tmp_path / folder)
        ],
                        cwd=REPO,
                        check=False)
        assert proc.returncode == 1
        errors = [
            line for line in proc.stderr.splitlines()
            if line.startswith('error')
        ]
        assert len(errors) == 1 and str(tmp_path / folder) in errors[0]


def test_jpeg_reference_is_mmpretrains_own_pipeline(tmp_path):
    pipeline = config_train_pipeline()
    assert [t['type'] for t in pipeline] == [
        'LoadImageFromFile', 'RandomResizedCrop', 'RandomFlip', 'PackInputs'
    ]
    assert pipeline[1]['scale'] == 224
    (tmp_path / 'a' / 'b').mkdir(parents=True)
    Image.new('RGB', (4, 4)).save(tmp_path / 'a' / 'b' / 'x.JPG')
    (tmp_path / 'a' / 'notes.txt').write_text('not an image')
    assert find_images(str(tmp_path)) == [str(tmp_path / 'a' / 'b' / 'x.JPG')]
