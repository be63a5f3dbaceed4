"""The activity-photo builder on a fabricated ``gcompris-qt-data`` tree: Qt
resource files written byte by byte after Qt's documented ``rcc`` format (v3,
one entry zlib-compressed), only the photo folders kept, duplicates and small
images dropped, every fifth photo held out, licences from the DEP-5 file."""
import io
import json
import os
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cdi_mm.data_builders.activity_photos import (MAX_ENTRY_BYTES,
                                                  read_qt_resources,
                                                  write_activity_photos)

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/\
copyright-format/1.0/

Files: *
Copyright: 2014 GCompris developers
License: GPL-3+

Files: src/activities/lang/resource/words_sample/*
Copyright: 2014 Somebody
License: CC-BY-SA-3.0
"""


def rcc_bytes(files, compressed=(), declared=None):
    """A version-3 Qt resource file holding ``files`` (path -> bytes); the
    paths in ``compressed`` zlib-compressed, with the uncompressed size of
    ``declared`` (path -> size) when given instead of the true one."""
    tree = {}
    for path in files:
        node = tree
        for part in path.strip('/').split('/')[:-1]:
            node = node.setdefault(part, {})
        node[path.rsplit('/', 1)[-1]] = path
    names, data, nodes = b'', b'', []
    name_offsets = {}

    def name_offset(name):
        if name not in name_offsets:
            nonlocal names
            name_offsets[name] = len(names)
            encoded = name.encode('utf-16-be')
            names += struct.pack('>HI', len(name), 0) + encoded
        return name_offsets[name]

    # breadth first: the children of a directory are consecutive nodes
    nodes.append(['', tree])
    i = 0
    while i < len(nodes):
        _, item = nodes[i]
        if isinstance(item, dict):
            first = len(nodes)
            nodes += [[n, child] for n, child in sorted(item.items())]
            nodes[i].append((len(item), first))
        i += 1
    packed = b''
    for name, item, *children in nodes:
        offset = name_offset(name) if name else 0
        if isinstance(item, dict):
            count, first = children[0]
            packed += struct.pack('>IHII', offset, 2, count, first)
        else:
            payload = files[item]
            flags = 0
            if item in compressed:
                flags = 1
                size = (declared or {}).get(item, len(payload))
                payload = struct.pack('>I', size) + zlib.compress(payload)
            packed += struct.pack('>IHHHI', offset, flags, 0, 0, len(data))
            data += struct.pack('>I', len(payload)) + payload
        packed += struct.pack('>Q', 0)
    data_start = 24
    names_start = data_start + len(data)
    tree_start = names_start + len(names)
    header = b'qres' + struct.pack('>5I', 3, tree_start, data_start,
                                   names_start, 0)
    return header + data + names + packed


def photo_bytes(seed, size, fmt='WEBP'):
    pixels = np.random.default_rng(seed).integers(
        0, 255, (size[1], size[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format=fmt)
    return buf.getvalue()


def fake_gcompris(root):
    """Two activities' resource files: 7 images in photo folders (one photo
    in both activities, one too small), a painting, a QML file."""
    base = '/gcompris/src/activities'
    lang = {
        f'{base}/lang/resource/words_sample/{w}.webp':
        photo_bytes(i, (400, 300))
        for i, w in enumerate(('apple', 'dog', 'car'))
    }
    lang[f'{base}/lang/Lang.qml'] = b'import QtQuick 2.12'
    erase = {
        f'{base}/erase/resource/gorilla.webp':
        photo_bytes(10, (500, 350)),
        f'{base}/erase/resource/pika.jpg':
        photo_bytes(11, (350, 500), 'JPEG'),
        f'{base}/erase/resource/tiny.webp':
        photo_bytes(12, (100, 80)),
        # the same photo as lang's dog: kept once
        f'{base}/erase/resource/dog.webp':
        lang[f'{base}/lang/resource/words_sample/dog.webp'],
        f'{base}/paintings/resource/image/monet.webp':
        photo_bytes(13, (400, 300)),
    }
    rcc_dir = os.path.join(root, 'usr/share/gcompris-qt/rcc')
    os.makedirs(rcc_dir)
    with open(os.path.join(rcc_dir, 'lang.rcc'), 'wb') as f:
        f.write(rcc_bytes(lang))
    with open(os.path.join(rcc_dir, 'erase.rcc'), 'wb') as f:
        f.write(
            rcc_bytes(
                erase, compressed={f'{base}/erase/resource/gorilla.webp'}))
    doc = os.path.join(root, 'usr/share/doc/gcompris-qt-data')
    os.makedirs(doc)
    with open(os.path.join(doc, 'copyright'), 'w') as f:
        f.write(COPYRIGHT)
    return root, {**lang, **erase}


def test_qt_resource_reader_round_trips(tmp_path):
    root, files = fake_gcompris(str(tmp_path / 'pkg'))
    read = {}
    for rcc in ('lang.rcc', 'erase.rcc'):
        read.update(
            read_qt_resources(
                os.path.join(root, 'usr/share/gcompris-qt/rcc', rcc)))
    assert read == files  # names, bytes and the compressed entry exact


def test_reader_refuses_other_files(tmp_path):
    bad = tmp_path / 'not.rcc'
    bad.write_bytes(b'PK\x03\x04' + bytes(40))
    with pytest.raises(ValueError, match='not a Qt resource file'):
        list(read_qt_resources(str(bad)))
    blob = rcc_bytes({'/a/b.webp': b'x' * 50})
    truncated = tmp_path / 'truncated.rcc'
    truncated.write_bytes(blob[:40])
    with pytest.raises(ValueError, match='truncated|past the end'):
        list(read_qt_resources(str(truncated)))


def test_reader_refuses_cycles_and_inflation_bombs(tmp_path):
    blob = bytearray(rcc_bytes({'/a/b.webp': b'x' * 50}))
    tree = struct.unpack('>I', blob[8:12])[0]
    blob[tree + 10:tree + 14] = struct.pack('>I', 0)  # root's child: root
    cycle = tmp_path / 'cycle.rcc'
    cycle.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match='cycle'):
        list(read_qt_resources(str(cycle)))
    zeros = {'/a/zeros.bin': bytes(1 << 20)}  # 1 MB of zeros: 1 KB of zlib
    for declared, match in ((1000, 'not the 1000 it declares'),
                            (MAX_ENTRY_BYTES + 1, 'more than the')):
        bomb = tmp_path / 'bomb.rcc'
        bomb.write_bytes(
            rcc_bytes(
                zeros,
                compressed=set(zeros),
                declared={'/a/zeros.bin': declared}))
        with pytest.raises(ValueError, match=match):
            list(read_qt_resources(str(bomb)))


def test_photo_folders_duplicates_hold_out_and_licences(tmp_path):
    root, _ = fake_gcompris(str(tmp_path / 'pkg'))
    out = str(tmp_path / 'out')
    counts = write_activity_photos(out, root, short_side=200)
    # 7 photo-folder images: dog twice, tiny too small -> 5 kept (sorted by
    # path, so erase's dog is the one kept), the 5th held out
    assert counts == dict(train=4, val=1, duplicates=1, small=1)
    with open(os.path.join(out, 'manifest.json')) as f:
        manifest = json.load(f)
    photos = {p['name']: p for p in manifest['photos']}
    assert sorted(photos) == [
        'erase_dog', 'erase_gorilla', 'erase_pika', 'lang_words_sample_apple',
        'lang_words_sample_car'
    ]
    assert [p['split'] for p in manifest['photos']].count('val') == 1
    assert photos['lang_words_sample_car']['split'] == 'val'
    assert photos['erase_gorilla']['licence'] == 'GPL-3+'
    assert photos['lang_words_sample_apple']['licence'] == 'CC-BY-SA-3.0'
    for p in photos.values():
        with Image.open(os.path.join(out, p['split'],
                                     p['name'] + '.png')) as im:
            assert min(im.size) == 200 and im.mode == 'RGB'
            assert im.size == (p['width'], p['height'])


def test_missing_package_tree_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match='unpacked gcompris-qt-data'):
        write_activity_photos(str(tmp_path / 'out'), str(tmp_path))
