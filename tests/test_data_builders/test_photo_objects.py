import hashlib
import json
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from cdi_mm.data_builders.photo_objects import (OBJECT_CLASSES, STAMPS_DIR,
                                                find_objects, split_objects,
                                                write_object_photos,
                                                write_photo_objects,
                                                write_photo_scenes)


def _stamp(path, rng, side=40):
    os.makedirs(osp.dirname(path), exist_ok=True)
    rgba = np.zeros((side, side, 4), np.uint8)
    rgba[..., :3] = rng.integers(0, 255, 3)
    rgba[8:32, 10:30, 3] = 255  # an opaque 24x20 block: the exact mask
    Image.fromarray(rgba).save(path)


@pytest.fixture(scope='module')
def fake_sources(tmp_path_factory):
    """A stamp tree shaped like tuxpaint-stamps-default (12 photos per class
    plus drawn stamps and mirrors that must be left out) and a small photo
    pool."""
    root = tmp_path_factory.mktemp('sources')
    rng = np.random.default_rng(0)
    stamps = root / 'pkg' / STAMPS_DIR
    for name, (folder, drawn) in OBJECT_CLASSES.items():
        for i in range(12):
            _stamp(
                str(stamps / folder / ('sub' if i % 2 else '') /
                    f'{name}{i}.png'), rng)
        _stamp(str(stamps / folder / 'cartoon' / 'drawn.png'), rng)
        _stamp(str(stamps / folder / f'{name}0_mirror.png'), rng)
        for deny in drawn:
            _stamp(str(stamps / folder / deny), rng)
    for split, count in (('train', 3), ('val', 2)):
        os.makedirs(root / 'pool' / split)
        for i in range(count):
            Image.fromarray(
                rng.integers(0, 255, (90, 120, 3), dtype=np.uint8)).save(
                    root / 'pool' / split / f'{i}.png')
    return str(root / 'pkg'), str(root / 'pool')


def test_objects_are_photos_only_and_whole_objects_are_held_out(fake_sources):
    stamps, _ = fake_sources
    _, objects = find_objects(stamps)
    assert sorted(objects) == sorted(OBJECT_CLASSES) == list(OBJECT_CLASSES)
    for name, paths in objects.items():
        assert len(paths) == 12
        assert not [
            p for p in paths if 'cartoon' in p or 'mirror' in p
            or osp.basename(p) in OBJECT_CLASSES[name][1]
        ]
    train, val = split_objects(objects)
    for name in objects:
        assert len(val[name]) == 2 and len(train[name]) == 10
        assert not set(train[name]) & set(val[name])
    assert split_objects(objects) == (train, val)  # deterministic


def _digest(root):
    digest = hashlib.sha256()
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            digest.update(name.encode() +
                          open(osp.join(dirpath, name), 'rb').read())
    return digest.hexdigest()


def test_photo_objects_layout_labels_and_determinism(tmp_path, fake_sources):
    stamps, pool = fake_sources
    counts = write_photo_objects(
        str(tmp_path / 'a'),
        stamps,
        pool,
        num_train=16,
        num_val=6,
        size=64,
        seed=3,
        num_val_seen=5)
    assert counts == dict(
        train=16, val=6, val_seen=5, classes=8, objects=dict(train=80, val=16))
    for split, n in (('train', 16), ('val', 6), ('val_seen', 5)):
        images = [
            osp.join(d, f) for d, _, fs in os.walk(tmp_path / 'a' / split)
            for f in fs
        ]
        assert len(images) == n
        assert all(
            osp.basename(osp.dirname(p)) in OBJECT_CLASSES for p in images)
        assert all(Image.open(p).size == (64, 64) for p in images)
    manifest = json.load(open(tmp_path / 'a' / 'manifest.json'))
    assert manifest['classes'] == list(OBJECT_CLASSES)
    val_files = {
        o['file']
        for objs in manifest['objects']['val'].values()
        for o in objs
    }
    train_files = {
        o['file']
        for objs in manifest['objects']['train'].values()
        for o in objs
    }
    assert not val_files & train_files
    val_objects = manifest['objects']['val'].values()
    assert {o['licence'] for objs in val_objects for o in objs} == {'GPL-2'}
    write_photo_objects(
        str(tmp_path / 'b'),
        stamps,
        pool,
        num_train=16,
        num_val=6,
        size=64,
        seed=3,
        num_val_seen=5)
    assert _digest(tmp_path / 'a') == _digest(tmp_path / 'b')
    # train and val do not depend on the size of val_seen
    write_photo_objects(
        str(tmp_path / 'c'),
        stamps,
        pool,
        num_train=16,
        num_val=6,
        size=64,
        seed=3,
        num_val_seen=0)
    for split in ('train', 'val'):
        assert _digest(tmp_path / 'a' / split) == _digest(tmp_path / 'c' /
                                                          split)


def test_photo_scenes_masks_follow_the_alpha(tmp_path, fake_sources):
    stamps, pool = fake_sources
    write_photo_scenes(
        str(tmp_path),
        stamps,
        pool,
        num_train=6,
        num_val=3,
        size=96,
        seed=1,
        num_val_seen=2)
    for split, n in (('train', 6), ('val', 3), ('val_seen', 2)):
        names = sorted(os.listdir(tmp_path / 'ann_dir' / split))
        assert names == sorted(os.listdir(
            tmp_path / 'img_dir' / split)) and len(names) == n
        for name in names:
            mask = np.asarray(Image.open(tmp_path / 'ann_dir' / split / name))
            assert mask.shape == (96, 96) and mask.max() <= len(OBJECT_CLASSES)
            assert 0 < (mask > 0).sum() < mask.size  # objects and background
            labels = set(np.unique(mask)) - {0}
            assert 1 <= len(labels) <= 4


def test_a_missing_photo_pool_names_the_fix(tmp_path, fake_sources):
    stamps, _ = fake_sources
    with pytest.raises(FileNotFoundError, match='prepare_data.py photos'):
        write_photo_objects(
            str(tmp_path / 'out'), stamps, str(tmp_path / 'nopool'))


def test_object_photos_never_show_held_out_objects(fake_sources, tmp_path):
    stamps, pool = fake_sources
    counts = write_object_photos(
        str(tmp_path / 'a'), stamps, pool, count=5, size=48)
    _, objects = find_objects(stamps)
    held = {p for paths in split_objects(objects)[1].values() for p in paths}
    used = [
        o['file']
        for o in json.load(open(tmp_path / 'a' / 'manifest.json'))['objects']
    ]
    # 96 photos + 5 drawings named in OBJECT_CLASSES, minus 16 held out
    assert counts == dict(images=5, objects=len(used)) and len(used) == 85
    assert not set(used) & held
    assert not [p for p in used if 'cartoon' in p or 'mirror' in p]
    names = sorted(
        f for f in os.listdir(tmp_path / 'a') if f != 'manifest.json')
    assert names == [f'{i:05d}.png' for i in range(5)]
    assert Image.open(tmp_path / 'a' / names[0]).size == (48, 48)
    write_object_photos(str(tmp_path / 'b'), stamps, pool, count=5, size=48)
    assert _digest(tmp_path / 'a') == _digest(tmp_path / 'b')
