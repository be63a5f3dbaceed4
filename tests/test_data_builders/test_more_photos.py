"""More distillation photos from Debian packages, on fake package trees: only
allow-listed photographs, licences from the DEP-5 copyright file, duplicates
dropped, downsampled; unknown or empty packages are refused."""
import json
import os

import numpy as np
import pytest
from PIL import Image

from cdi_mm.data_builders import MORE_PHOTOS, write_more_photos

COPYRIGHT = """Files: *
Copyright: 2011 Massachusetts Institute of Technology
License: GPL-2

Files: Help/* Media/* Projects
Copyright: 2011 Massachusetts Institute of Technology
License: CC-BY-SA-3.0
"""


def _image(path, size, seed):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pixels = np.random.default_rng(seed).integers(
        0, 255, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)


def fake_scratch(root):
    """Two photo backgrounds and a copy of one, a drawn background, a GIF
    background and a costume."""
    media = os.path.join(root, 'usr/share/scratch/Media')
    _image(os.path.join(media, 'Backgrounds/Nature/lake.jpg'), (480, 360), 0)
    _image(
        os.path.join(media, 'Backgrounds/Outdoors/castle.jpg'), (480, 360), 1)
    _image(os.path.join(media, 'Backgrounds/Sports/copy.jpg'), (480, 360), 0)
    _image(os.path.join(media, 'Backgrounds/Nature/stars.gif'), (480, 360), 2)
    _image(os.path.join(media, 'Backgrounds/Indoors/room1.jpg'), (480, 360), 4)
    _image(os.path.join(media, 'Costumes/Animals/cat.png'), (100, 100), 3)
    doc = os.path.join(root, 'usr/share/doc/scratch')
    os.makedirs(doc)
    with open(os.path.join(doc, 'copyright'), 'w') as f:
        f.write(COPYRIGHT)
    return root


def test_allow_listed_photos_licences_duplicates(tmp_path):
    out = str(tmp_path / 'more')
    counts = write_more_photos(
        out, {'scratch': fake_scratch(str(tmp_path / 'scratch'))},
        short_side=180)
    assert counts == dict(written={'scratch': 2}, duplicates=1)
    with open(os.path.join(out, 'manifest.json')) as f:
        photos = {p['name']: p for p in json.load(f)['photos']}
    # the copy of lake.jpg (same bytes) is left out; room1 (drawn), GIFs and
    # costumes are not photographs
    assert sorted(photos) == ['scratch_castle', 'scratch_lake']
    assert photos['scratch_lake']['licence'] == 'CC-BY-SA-3.0'
    assert photos['scratch_lake']['file'] == (
        'usr/share/scratch/Media/Backgrounds/Nature/lake.jpg')
    with Image.open(os.path.join(out, 'scratch_lake.png')) as image:
        assert image.size == (240, 180)
    assert sorted(os.listdir(out)) == [
        'manifest.json', 'scratch_castle.png', 'scratch_lake.png'
    ]


def test_unknown_or_empty_packages_are_refused(tmp_path):
    with pytest.raises(ValueError, match='no photo allow-list for gimp'):
        write_more_photos(str(tmp_path / 'out'), {'gimp': str(tmp_path)})
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match='not an unpacked scratch'):
        write_more_photos(str(tmp_path / 'out'), {'scratch': str(empty)})
    assert set(MORE_PHOTOS) == {'scratch', 'tuxpaint-data', 'palapeli-data'}
