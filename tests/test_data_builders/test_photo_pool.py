"""The photo pool builder on a tiny fake Debian package tree: only allow-listed
photographs are used, licences come from the DEP-5 copyright file, whole photos
are held out, photos are downsampled to a 512 px short side; and a real
``.deb`` is unpacked."""
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from cdi_mm.data_builders.photos import (DEBIAN_PHOTOS, HELD_OUT,
                                         SKIMAGE_PHOTOS, debian_licence,
                                         fetch_debian_packages,
                                         write_photo_pool)

COPYRIGHT = 'Format: https://www.debian.org/doc/packaging-manuals/' + """\
copyright-format/1.0/

Files: *
Copyright: 2010 Somebody
License: GPL-2+

Files: nature/LadyBird.jpg
Copyright: 2008 Somebody Else
License: CC-BY-SA-3.0
 Long licence text that must not end up in the licence name.
"""


def fake_mate(root):
    """A mate-backgrounds tree: two allow-listed photos (one held out), one
    abstract picture that must be ignored."""
    base = os.path.join(root, 'usr/share/backgrounds/mate')
    rng = np.random.default_rng(0)
    for rel, size in (('nature/Aqua.jpg', (1200, 800)), ('nature/LadyBird.jpg',
                                                         (900, 600)),
                      ('abstract/Silk.png', (1000, 700))):
        os.makedirs(os.path.dirname(os.path.join(base, rel)), exist_ok=True)
        pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
        Image.fromarray(pixels).save(os.path.join(base, rel))
    doc = os.path.join(root, 'usr/share/doc/mate-backgrounds')
    os.makedirs(doc)
    with open(os.path.join(doc, 'copyright'), 'w') as f:
        f.write(COPYRIGHT)
    return root


def test_allow_list_licences_and_held_out_photos(tmp_path):
    root = fake_mate(str(tmp_path / 'mate'))
    out = str(tmp_path / 'photos')
    counts = write_photo_pool(out, debian_roots={'mate-backgrounds': root})
    with open(os.path.join(out, 'manifest.json')) as f:
        photos = {p['name']: p for p in json.load(f)['photos']}
    mate = {
        k: v
        for k, v in photos.items() if k.startswith('mate-backgrounds_')
    }
    assert set(mate) == {'mate-backgrounds_Aqua',
                         'mate-backgrounds_LadyBird'}  # no Silk
    assert mate['mate-backgrounds_Aqua']['licence'] == 'GPL-2+'
    assert mate['mate-backgrounds_LadyBird']['licence'] == 'CC-BY-SA-3.0'
    assert mate['mate-backgrounds_Aqua']['split'] == 'train'
    assert mate['mate-backgrounds_LadyBird'][
        'split'] == 'val'  # held out, whole
    assert (mate['mate-backgrounds_Aqua']['width'],
            mate['mate-backgrounds_Aqua']['height']) == (768, 512)
    with Image.open(os.path.join(out, 'train',
                                 'mate-backgrounds_Aqua.png')) as image:
        assert image.size == (768, 512)
    for name, photo in photos.items():  # every photo lies in exactly its split
        assert photo['split'] == ('val' if name in HELD_OUT else 'train')
        assert os.path.isfile(os.path.join(out, photo['split'], f'{name}.png'))
        other = 'train' if photo['split'] == 'val' else 'val'
        assert not os.path.exists(os.path.join(out, other, f'{name}.png'))
    assert counts['train'] + counts['val'] == len(SKIMAGE_PHOTOS) + 2
    assert len(counts['missing']) == len(DEBIAN_PHOTOS['mate-backgrounds']) - 2


def test_licence_lookup_matches_paths_tails_and_names(tmp_path):
    root = fake_mate(str(tmp_path / 'mate'))
    path = 'usr/share/backgrounds/mate/nature/LadyBird.jpg'
    assert debian_licence(root, 'mate-backgrounds', path) == 'CC-BY-SA-3.0'
    assert debian_licence(root, 'mate-backgrounds',
                          'usr/x/Other.jpg') == 'GPL-2+'
    assert debian_licence(root, 'no-such-package', path).startswith('unknown')


@pytest.mark.skipif(shutil.which('dpkg-deb') is None, reason='needs dpkg-deb')
def test_fetch_unpacks_a_real_deb_without_installing(tmp_path):
    tree = fake_mate(str(tmp_path / 'tree'))
    os.makedirs(os.path.join(tree, 'DEBIAN'))
    with open(os.path.join(tree, 'DEBIAN', 'control'), 'w') as f:
        f.write('Package: mate-backgrounds\nVersion: 1.0\nArchitecture: all\n'
                'Maintainer: test <t@example.org>\nDescription: fake\n')
    cache = tmp_path / 'cache'
    cache.mkdir()
    subprocess.run([
        'dpkg-deb', '--build', '--root-owner-group', tree,
        str(cache / 'mate-backgrounds_1.0_all.deb')
    ],
                   check=True,
                   capture_output=True)
    roots, failures = fetch_debian_packages(['mate-backgrounds'], str(cache))
    assert failures == {}
    assert os.path.isfile(
        os.path.join(roots['mate-backgrounds'],
                     'usr/share/backgrounds/mate/nature/Aqua.jpg'))
    again, _ = fetch_debian_packages(['mate-backgrounds'],
                                     str(cache))  # cached
    assert again == roots
