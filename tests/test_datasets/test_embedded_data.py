import gzip
import hashlib
import os
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import DefaultScope
from PIL import Image

from cdi_mm.data_builders import (read_idx, write_fashion_mnist,
                                  write_fashion_scenes, write_photo_pool)
from cdi_mm.datasets import EMBEDDED_ROOT, FASHION_MNIST_CLASSES


def test_embedded_fashion_mnist_loads_with_stock_custom_dataset():
    from mmpretrain.registry import DATASETS
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        train = DATASETS.build(
            dict(
                type='CustomDataset',
                data_root=EMBEDDED_ROOT,
                ann_file='train.txt',
                data_prefix='',
                metainfo=dict(classes=FASHION_MNIST_CLASSES),
                pipeline=[dict(type='LoadImageFromFile')]))
        test = DATASETS.build(
            dict(
                type='CustomDataset',
                data_root=EMBEDDED_ROOT,
                ann_file='test.txt',
                data_prefix='',
                metainfo=dict(classes=FASHION_MNIST_CLASSES),
                pipeline=[dict(type='LoadImageFromFile')]))
    assert len(train) == 3000 and len(test) == 1000
    assert np.bincount(train.get_gt_labels()).tolist() == [300] * 10
    sample = train[0]
    assert sample['img'].shape == (28, 28, 3)
    assert sample['gt_label'] == 9  # first training image is an ankle boot


def _write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b''.join(
        int(s).to_bytes(4, 'big') for s in array.shape)
    with gzip.open(path, 'wb') as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_write_fashion_mnist_from_idx(tmp_path):
    rng = np.random.default_rng(0)
    src = tmp_path / 'src'
    src.mkdir()
    for prefix, n in (('train', 30), ('t10k', 20)):
        _write_idx(
            str(src / f'{prefix}-images-idx3-ubyte.gz'),
            rng.integers(0, 256, (n, 28, 28)))
        _write_idx(
            str(src / f'{prefix}-labels-idx1-ubyte.gz'),
            np.arange(n) % 10)
    counts = write_fashion_mnist(str(src), str(tmp_path / 'out'), {'train': 2})
    assert counts == {'train': 20, 'test': 20}
    first = (tmp_path / 'out' / 'train.txt').read_text().splitlines()[0]
    assert first == 'train/tshirt/00000.png 0'
    image = np.asarray(
        Image.open(tmp_path / 'out' / 'train' / 'tshirt' / '00000.png'))
    assert np.array_equal(image,
                          read_idx(str(src / 'train-images-idx3-ubyte.gz'))[0])


def test_read_idx_rejects_garbage(tmp_path):
    bad = tmp_path / 'bad'
    bad.write_bytes(b'\x00\x00\x08\x03' + (5).to_bytes(4, 'big') * 3 + b'xx')
    with pytest.raises(ValueError, match='payload size does not match'):
        read_idx(str(bad))
    bad.write_bytes(b'PK\x03\x04')
    with pytest.raises(ValueError, match='not a uint8 IDX file'):
        read_idx(str(bad))


def _tree_digest(root):
    digest = hashlib.sha256()
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = osp.join(dirpath, name)
            digest.update(osp.relpath(path, root).encode())
            digest.update(open(path, 'rb').read())
    return digest.hexdigest()


def test_fashion_scenes_deterministic_and_loadable(tmp_path,
                                                   fashion_scenes_root):
    again = str(tmp_path / 'again')
    write_fashion_scenes(again, num_train=16, num_val=4, size=64, seed=0)
    assert _tree_digest(again) == _tree_digest(fashion_scenes_root)
    other = str(tmp_path / 'other')
    write_fashion_scenes(other, num_train=16, num_val=4, size=64, seed=1)
    assert _tree_digest(other) != _tree_digest(fashion_scenes_root)

    from mmseg.registry import DATASETS
    with DefaultScope.overwrite_default_scope('mmseg'):
        dataset = DATASETS.build(
            dict(
                type='FashionScenesDataset',
                data_root=fashion_scenes_root,
                data_prefix=dict(
                    img_path='img_dir/train', seg_map_path='ann_dir/train'),
                pipeline=[
                    dict(type='LoadImageFromFile'),
                    dict(type='LoadAnnotations')
                ]))
    assert len(dataset) == 16
    assert dataset.metainfo['classes'][0] == 'background'
    sample = dataset[0]
    mask = sample['gt_seg_map']
    assert sample['img'].shape == (64, 64, 3) and mask.shape == (64, 64)
    values = np.unique(mask)
    assert values[0] == 0 and values.max() <= 10 and len(values) >= 2


def test_photo_pool_has_fixed_held_out_split(tmp_path):
    extra = tmp_path / 'extra'
    extra.mkdir()
    for i in range(5):
        Image.fromarray(np.full((200, 240, 3), i * 40,
                                np.uint8)).save(extra / f'{i}.png')
    Image.fromarray(np.zeros((50, 50, 3), np.uint8)).save(extra / 'tiny.png')
    counts = write_photo_pool(str(tmp_path / 'pool'), [str(extra)])
    val = sorted(os.listdir(tmp_path / 'pool' / 'val'))
    assert {'chelsea.png', 'coffee.png', 'rocket.png',
            'extra_4.png'} == set(val)
    assert counts['val'] == 4 and counts['train'] >= 8
    assert 'extra_tiny.png' not in os.listdir(tmp_path / 'pool' / 'train')
