"""Experiments as data: a fabricated plan expands to the runs the photo
experiments need (codec hashes, seeds, which checkpoint starts what), refuses
what cannot run, and executes for real with skip, resume and carried runs."""
import os.path as osp
import shutil

import pytest
import yaml
from helpers import REPO, TINY_CLS

from cdi_mm.apis.experiment_plan import (PlanError, execute_plan, expand_plan,
                                         load_plan, published_codecs)


def _write(path, data):
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.fixture()
def fabricated(tmp_path):
    """Two classifier configs per operating point and a segmenter starting
    from one of them, with a codec metafile of two published codecs."""
    for name in ('cls_c8', 'cls_c32', 'seg_c8', 'seg_c32', 'rgb'):
        (tmp_path / f'{name}.py').write_text('')
    metafile = _write(
        tmp_path / 'metafile.yml', {
            'Models': [{
                'Name': f'codec-c{c}',
                'In Collection': 'photo codecs',
                'Metadata': {
                    'Latent channels': c
                },
                'Weights': f'checkpoints/codec-c{c}_2026-{h}.pth'
            } for c, h in ((8, 'aaaa0008'),
                           (32, 'bbbb0032'))] + [{
                               'Name': 'other',
                               'In Collection': 'x',
                               'Metadata': {
                                   'Latent channels': 8
                               }
                           }]
        })
    plan = {
        'iters':
        4,
        'seeds': [0, 1],
        'channels': [8, 32],
        'codecs':
        'photo codecs',
        'runs': [{
            'config': str(tmp_path / 'cls_c{C}.py')
        }, {
            'config': str(tmp_path / 'rgb.py')
        }, {
            'config': str(tmp_path / 'seg_c{C}.py'),
            'init_from': 'cls_c{C}'
        }]
    }
    return tmp_path, plan, published_codecs('photo codecs', metafile)


def test_plan_expands_per_seed_and_operating_point(fabricated):
    root, plan, codecs = fabricated
    assert codecs == {
        8: 'checkpoints/codec-c8_2026-aaaa0008.pth',
        32: 'checkpoints/codec-c32_2026-bbbb0032.pth'
    }
    runs = expand_plan(plan, 'W', codecs)
    assert [osp.basename(r.work_dir) for r in runs[:5]] == [
        'cls_c8_aaaa0008_seed0', 'cls_c32_bbbb0032_seed0', 'rgb_seed0',
        'seg_c8_aaaa0008_seed0', 'seg_c32_bbbb0032_seed0'
    ]
    assert len(runs) == 10 and runs[5].seed == 1
    assert runs[3].init_from == 'W/cls_c8_aaaa0008_seed0/iter_4.pth'
    assert runs[3].init_prefix == 'backbone.' and runs[0].init_from is None
    # a filtered run still starts from its (filtered-out) classifier
    seg = expand_plan(plan, 'W', codecs, seeds=[1], channels=[32], only='seg')
    assert [(r.name, r.init_from) for r in seg
            ] == [('seg_c32', 'W/cls_c32_bbbb0032_seed1/iter_4.pth')]
    assert [
        r.name
        for r in expand_plan(plan, 'W', codecs, seeds=[0], exclude='_c')
    ] == ['rgb']


def test_plans_that_cannot_run_are_refused(fabricated, tmp_path):
    root, plan, codecs = fabricated
    with pytest.raises(PlanError, match='no published codec with 16'):
        expand_plan(plan, 'W', codecs, channels=[16])
    backwards = dict(plan, runs=plan['runs'][::-1])
    with pytest.raises(PlanError, match='does not train before it'):
        expand_plan(backwards, 'W', codecs)
    missing = dict(plan, runs=[{'config': str(root / 'nope_c{C}.py')}])
    with pytest.raises(PlanError, match='no such config'):
        expand_plan(missing, 'W', codecs)
    with pytest.raises(PlanError, match=r"unknown keys \['seed'\]"):
        load_plan(_write(tmp_path / 'p.yml', dict(plan, seed=3)))
    with pytest.raises(PlanError, match='publishes no codec'):
        published_codecs('nothing', str(root / 'metafile.yml'))


def test_the_shipped_plan_expands(monkeypatch):
    monkeypatch.chdir(REPO)
    plan = load_plan('tools/experiments/plans/photo_operating_points.yml')
    runs = expand_plan(plan, 'W')
    assert len(runs) == 2 * (3 * 3 + 1 + 2 * 3 + 1)
    seg = next(r for r in runs if r.name.startswith('deeplabv2_cresnet51'))
    assert seg.init_from.startswith('W/cresnet51-w32_c8-preencoded')


def test_plan_executes_skips_and_takes_carried_runs(tmp_path, monkeypatch):
    """Trains the tiny config once; a second call does nothing; a run carried
    between sessions is only tested."""
    monkeypatch.chdir(REPO)
    plan = {'iters': 4, 'seeds': [0], 'runs': [{'config': TINY_CLS}]}
    work = str(tmp_path / 'w')
    lines = []
    execute_plan(plan, work, expand_plan(plan, work), log=lines.append)
    assert [line.split()[2]
            for line in lines] == ['tools/train.py', 'tools/test.py']
    assert '--resume' not in lines[0] and 'randomness.seed=0' in lines[0]
    lines.clear()
    execute_plan(plan, work, expand_plan(plan, work), log=lines.append)
    assert lines == []
    carried = tmp_path / 'carried'
    carried.mkdir()
    shutil.copy(
        osp.join(work, 'tiny_cls_fashion_mnist_seed0', 'iter_4.pth'),
        carried / 'tiny_cls_fashion_mnist_seed1.pth')
    runs = expand_plan(plan, work, seeds=[1])
    execute_plan(plan, work, runs, carried_dir=str(carried), log=lines.append)
    assert [line.split()[2] for line in lines] == ['tools/test.py']
    assert len(open(osp.join(work, 'commands.txt')).readlines()) == 3
