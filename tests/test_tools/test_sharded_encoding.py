"""Sharded compress_dataset (issue #34): N = 1, 2, 3 shards write the same
files byte for byte as one run, a killed shard resumes alone, finalize names
missing shards and checks every file, and the shard comes from a Slurm array
or torchrun environment."""
import filecmp
import os

import numpy as np
import pytest
from helpers import PYTHON, REPO, free_port, run_tool
from PIL import Image

from cdi_mm.apis import compress_dataset
from cdi_mm.apis.dataset_codec import DatasetEncodingError
from cdi_mm.apis.dataset_finalize import finalize_dataset
from cdi_mm.apis.dataset_shards import shard_from_env, shard_of
from cdi_mm.datasets import LoadLatentFromFile


@pytest.fixture(scope='module')
def tree(tmp_path_factory):
    src = tmp_path_factory.mktemp('shards') / 'src'
    rng = np.random.default_rng(0)
    for i in range(12):
        path = src / f'class{i % 3}' / f'{i}.png'
        os.makedirs(path.parent, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (24, 32, 3),
                                     dtype=np.uint8)).save(path)
    (src / 'README.txt').write_text('class0/0.png is the first\n')
    return src


def encode(codec, tree, dst, **kwargs):
    """``compress_dataset`` of ``tree`` into ``dst`` in this process."""
    return compress_dataset(codec, str(tree), str(dst), workers=0, **kwargs)


@pytest.fixture(scope='module')
def unsharded(tree, tiny_codecs):
    dst = tree.parent / 'one'
    encode(tiny_codecs[8], tree, dst)
    return dst


def _cdi_files(root):
    return sorted(
        os.path.relpath(os.path.join(d, n), root)
        for d, _, files in os.walk(root) for n in files if n.endswith('.cdi'))


@pytest.mark.parametrize('num_shards', [1, 2, 3])
def test_shards_write_the_same_files(tree, unsharded, tiny_codecs, tmp_path,
                                     num_shards):
    dst = tmp_path / 'dst'
    images = 0
    for index in range(num_shards):
        report = encode(
            tiny_codecs[8],
            tree,
            dst,
            num_shards=num_shards,
            shard_index=index)
        images += report['images']
    assert images == 12
    if num_shards > 1:
        final = finalize_dataset(str(tree), str(dst), num_shards)
        assert final['images'] == 12 and final['refused'] == []
    files = _cdi_files(unsharded)
    assert _cdi_files(dst) == files and len(files) == 12
    for rel in files + ['README.txt']:
        assert filecmp.cmp(unsharded / rel, dst / rel, shallow=False), rel
    # the finalized tree reads like any other
    loaded = LoadLatentFromFile()(dict(img_path=str(dst / files[0])))
    assert loaded['img'].shape[-1] == 8


def test_killed_shard_resumes_alone_and_finalize_checks(
        tree, tiny_codecs, tmp_path):
    dst = tmp_path / 'dst'
    encode(tiny_codecs[8], tree, dst, num_shards=2, shard_index=0)
    with pytest.raises(DatasetEncodingError, match='shard index 1'):
        finalize_dataset(str(tree), str(dst), 2)
    encode(tiny_codecs[8], tree, dst, num_shards=2, shard_index=1)
    # shard 1 loses a file (killed mid-run): finalize names it, a rerun of
    # shard 1 alone redoes just that file
    mine = [
        f'class{i % 3}/{i}.cdi' for i in range(12)
        if shard_of(f'class{i % 3}/{i}.png', 2) == 1
    ]
    os.remove(dst / mine[0])
    with pytest.raises(DatasetEncodingError, match=f'{mine[0]}: missing'):
        finalize_dataset(str(tree), str(dst), 2)
    again = encode(tiny_codecs[8], tree, dst, num_shards=2, shard_index=1)
    assert again['images'] == len(mine) and again['skipped'] == len(mine) - 1
    assert finalize_dataset(str(tree), str(dst), 2)['images'] == 12
    # after finalize an unsharded rerun finds everything done
    assert encode(tiny_codecs[8], tree, dst)['skipped'] == 12


def test_shards_with_other_settings_are_refused(tree, tiny_codecs, tmp_path):
    dst = tmp_path / 'dst'
    encode(tiny_codecs[8], tree, dst, num_shards=2, shard_index=0)
    with pytest.raises(DatasetEncodingError, match='fingerprint'):
        encode(tiny_codecs[16], tree, dst, num_shards=2, shard_index=1)
    with pytest.raises(ValueError, match='index must be in 0..1'):
        encode(tiny_codecs[8], tree, dst, num_shards=2, shard_index=2)


def test_shard_from_env():
    assert shard_from_env({}) == (0, 1)
    assert shard_from_env(
        dict(
            SLURM_ARRAY_TASK_ID='5',
            SLURM_ARRAY_TASK_MIN='4',
            SLURM_ARRAY_TASK_COUNT='3')) == (1, 3)
    assert shard_from_env(dict(RANK='2', WORLD_SIZE='4')) == (2, 4)
    with pytest.raises(ValueError, match='0..1'):
        shard_from_env(dict(RANK='2', WORLD_SIZE='2'))
    counts = np.bincount([shard_of(f'{i}.png', 4) for i in range(4000)])
    assert counts.min() > 900  # balanced


def test_torchrun_launcher(tree, unsharded, tiny_codecs, tmp_path):
    """tools/dist_compress_dataset.sh: 2 CPU processes (RANK / WORLD_SIZE),
    then finalize; the same files as one run."""
    dst = tmp_path / 'dist'
    proc = run_tool([
        'bash', 'tools/dist_compress_dataset.sh', tiny_codecs[8],
        str(tree),
        str(dst), '2', '--workers', '1'
    ],
                    cwd=REPO,
                    env={
                        'PYTHON': PYTHON,
                        'PORT': str(free_port())
                    })
    assert 'shard 0 of 2 done' in proc.stdout
    assert 'shard 1 of 2 done' in proc.stdout
    assert 'encoded 12 images' in proc.stdout.splitlines()[-3]
    for rel in _cdi_files(unsharded):
        assert filecmp.cmp(unsharded / rel, dst / rel, shallow=False), rel
