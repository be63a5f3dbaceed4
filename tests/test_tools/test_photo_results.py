"""photo_results.py: last validation per finished run, mean and range over
seeds, bpp from the real .cdi bytes of the encoded val set, GFLOPs from the
config; runs still training listed apart."""
import json
import os

import pytest
import torch
from helpers import PYTHON, REPO, run_tool, save_codec_checkpoint

from cdi_mm.codecs import compress_images


def _run(root, name, values):
    """scalars.json as mmengine writes it for an iteration-based run: training
    records carry ``iter``; a validation's ``step`` is the epoch, 0."""
    folder = root / name / '20261128_000000' / 'vis_data'
    os.makedirs(folder)
    with open(folder / 'scalars.json', 'w') as f:
        for step, value in values:
            f.write(
                json.dumps({
                    'loss': 1.0,
                    'iter': step,
                    'step': step
                }) + '\n')
            f.write(json.dumps({'accuracy/top1': value, 'step': 0}) + '\n')


def test_tables_from_runs(tmp_path):
    work = tmp_path / 'work'
    name = 'cresnet39-w32_c8-preencoded_1xb32-2k_photo-objects_fca34b3e'
    _run(work, f'{name}_seed0', [(500, 20.0), (2000, 30.0)])
    _run(work, f'{name}_seed1', [(500, 22.0), (2000, 34.0)])
    # a third seed still training: listed, kept out of mean and range
    _run(work, f'{name}_seed2', [(500, 90.0), (1500, 95.0)])
    _run(work, 'resnet50-w16_rgb_1xb32-2k_photo-objects_seed0', [(2000, 40.0)])
    for seed, seen in ((0, 80.0), (1, 70.0)):  # tools/test.py on val_seen
        test = work / f'{name}_seed{seed}' / 'test' / '20261128_010000'
        os.makedirs(test)
        (test / '20261128_010000.json').write_text(
            json.dumps({'accuracy/top1': seen}))
    # the encoded val set: two 32x48 images
    codec = save_codec_checkpoint(str(tmp_path / 'codec.pth'), channels=8)
    val = tmp_path / 'data' / 'photo_objects_c8' / 'val' / 'bird'
    os.makedirs(val)
    data = compress_images(codec, torch.rand(2, 3, 32, 48))
    for i, blob in enumerate(data):
        (val / f'{i}.cdi').write_bytes(blob)
    bpp = 8 * sum(map(len, data)) / (2 * 32 * 48)
    out = run_tool([
        PYTHON, 'tools/analysis_tools/photo_results.py',
        str(work), '--data',
        str(tmp_path / 'data')
    ], REPO).stdout
    row = next(line for line in out.splitlines()
               if line.startswith('| cResNet-39'))
    cells = [c.strip() for c in row.strip('|').split('|')]
    assert cells[1] == '8' and float(cells[2]) == pytest.approx(bpp, abs=1e-4)
    assert float(
        cells[3]) > 0  # GFLOPs of the config's network on a 28x28x8 latent
    assert cells[4:10] == [
        '32.00', '30.00–34.00', '75.00', '70.00–80.00', '2', '2000'
    ]
    rgb = next(line for line in out.splitlines()
               if line.startswith('| ResNet-50 (RGB)'))
    assert rgb.startswith('| ResNet-50 (RGB) | — | — |'
                          ) and '| 40.00 | 40.00–40.00 | — | — |' in rgb
    assert ('cresnet39-w32_c8-preencoded_1xb32-2k_photo-objects seed 2 at '
            'iteration 1500') in out
    assert (work / 'results.csv').read_text().count('\n') == 5
    assert (work / 'results_photo-objects.png').stat().st_size > 0


def test_previous_runs_join_where_the_work_dir_has_none(tmp_path):
    """A ledger of an earlier session (its OUT.csv): its finished runs join the
    tables; a run the work dir holds wins; unfinished ledger rows stay out."""
    work = tmp_path / 'work'
    name = 'resnet50-w16_rgb_1xb32-2k_photo-objects'
    _run(work, f'{name}_seed0', [(2000, 40.0)])
    ledger = tmp_path / 'earlier.csv'
    ledger.write_text(
        'config,codec,seed,iteration,finished,value,seen,curve\n'
        f'{name},,0,2000,True,10.0,11.0,2000:10.00\n'  # the work dir wins
        f'{name},,1,2000,True,50.0,60.0,2000:50.00\n'
        f'{name},,2,500,False,99.0,,500:99.00\n')
    out = run_tool([
        PYTHON, 'tools/analysis_tools/photo_results.py',
        str(work), '--previous',
        str(ledger)
    ], REPO).stdout
    rgb = next(line for line in out.splitlines()
               if line.startswith('| ResNet-50 (RGB)'))
    cells = [c.strip() for c in rgb.strip('|').split('|')]
    assert cells[4:9] == ['45.00', '40.00–50.00', '60.00', '60.00–60.00', '2']
    assert 'seed 2' not in out
    assert (work / 'results.csv').read_text().count('\n') == 3
