"""compress_dataset and decompress_dataset on odd trees (issue #33, items
8-14): bad entries are listed at the end instead of aborting the run, the
output may not be the source or inside it, copied files may not take an
encoded file's name, and link loops and missing sources end with a message."""
import os

import numpy as np
import pytest
from PIL import Image

from cdi_mm.apis import (NameCollisionError, compress_dataset,
                         decompress_dataset, read_image)
from cdi_mm.apis.dataset_codec import plan


def _png(path, seed=0):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(
        np.random.default_rng(seed).integers(
            0, 255, (24, 32, 3), dtype=np.uint8)).save(path)


@pytest.fixture()
def odd_tree(tmp_path):
    src = tmp_path / 'src'
    _png(str(src / 'a.png'))
    _png(str(src / 'sub' / 'b.png'), seed=1)
    os.symlink(src / 'gone.png', src / 'x.png')  # dangling
    (src / 'LICENSE.txt').write_bytes('Copyright \xa9 Åsa\n'.encode('latin-1'))
    (src / 'list.txt').write_bytes(
        'a.png 0\nsub/b.png 1 caf\xe9\n'.encode('latin-1'))
    os.mkfifo(src / 'notes.dat')
    return src


def test_bad_entries_are_listed_not_fatal(odd_tree, tiny_codecs):
    dst = odd_tree.parent / 'dst'
    report = compress_dataset(
        tiny_codecs[8], str(odd_tree), str(dst), workers=0)
    assert report['images'] == 2
    refused = '\n'.join(report['refused'])
    assert 'x.png' in refused and 'notes.dat' in refused
    # other encodings pass through byte for byte; lists are still rewritten
    assert (dst / 'LICENSE.txt').read_bytes() == (odd_tree /
                                                  'LICENSE.txt').read_bytes()
    assert (dst / 'list.txt').read_bytes(
    ) == 'a.cdi 0\nsub/b.cdi 1 caf\xe9\n'.encode('latin-1')


def test_unreadable_folders_are_listed(odd_tree, monkeypatch):
    real_scandir = os.scandir

    def scandir(path='.'):
        if str(path).endswith('sub'):
            raise PermissionError(13, 'Permission denied', str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, 'scandir', scandir)
    encode, _, _, unreadable = plan(str(odd_tree))
    assert [rel for rel, _ in encode] == ['a.png', 'x.png']
    assert len(unreadable) == 1 and 'sub: ' in unreadable[0]


def test_output_in_the_source_is_refused(odd_tree, tiny_codecs):
    for dst in (odd_tree, odd_tree / 'out'):
        with pytest.raises(ValueError, match='choose an output folder'):
            compress_dataset(
                tiny_codecs[8], str(odd_tree), str(dst), workers=0)
    assert not (odd_tree / 'out').exists()
    with pytest.raises(FileNotFoundError, match='no such source folder'):
        compress_dataset(
            tiny_codecs[8],
            str(odd_tree / 'none'),
            str(odd_tree.parent / 'o'),
            workers=0)


def test_copied_file_may_not_take_an_encoded_name(tmp_path, tiny_codecs):
    _png(str(tmp_path / 'src' / 'a.png'))
    (tmp_path / 'src' / 'a.cdi').write_bytes(b'not a latent')
    with pytest.raises(NameCollisionError, match='a.png and a.cdi'):
        compress_dataset(
            tiny_codecs[8],
            str(tmp_path / 'src'),
            str(tmp_path / 'dst'),
            workers=0)


def test_unsafe_zoo_codec_is_refused_up_front(tmp_path):
    """An autoregressive zoo codec writes files cdi_mm refuses to read: refused
    before anything is written."""
    import torch

    from cdi_mm.apis.dataset_codec import UnsafeDecodingError
    from cdi_mm.codecs import ZooCodec, codec_checkpoint_dict
    codec = ZooCodec('cheng2020-anchor', quality=1)  # random weights
    codec.build_cfg = dict(
        type='compressai-zoo', name='cheng2020-anchor', quality=1)
    ckpt = str(tmp_path / 'cheng.pth')
    torch.save(codec_checkpoint_dict(codec), ckpt)
    _png(str(tmp_path / 'src' / 'a.png'))
    with pytest.raises(UnsafeDecodingError, match='unchecked rANS decoder'):
        compress_dataset(
            ckpt, str(tmp_path / 'src'), str(tmp_path / 'dst'), workers=0)
    assert not (tmp_path / 'dst').exists()


def test_decompress_dataset_loops_and_missing_source(tmp_path, tiny_codecs):
    _png(str(tmp_path / 'src' / 'a.png'))
    compress_dataset(
        tiny_codecs[8],
        str(tmp_path / 'src'),
        str(tmp_path / 'cdi'),
        workers=0)
    os.symlink(tmp_path / 'cdi', tmp_path / 'cdi' / 'loop')
    report = decompress_dataset(tiny_codecs[8], str(tmp_path / 'cdi'),
                                str(tmp_path / 'png'))
    assert report['images'] == 1
    with pytest.raises(FileNotFoundError, match='no such .cdi data set'):
        decompress_dataset(tiny_codecs[8], str(tmp_path / 'none'),
                           str(tmp_path / 'png2'))


def test_truncated_jpeg_with_end_marker_decodes_grey(tmp_path):
    """The choice: a JPEG cut inside its data but still ending in an
    end-of-image marker decodes as OpenCV (and so every mmcv pipeline) decodes
    it, the missing part grey; one cut before its marker is refused."""
    path = tmp_path / 'photo.jpg'
    Image.fromarray(
        np.random.default_rng(0).integers(0, 255, (64, 64, 3),
                                          dtype=np.uint8)).save(
                                              path, quality=95)
    data = path.read_bytes()
    cut = tmp_path / 'cut.jpg'
    cut.write_bytes(data[:len(data) // 2] + b'\xff\xd9')
    image = read_image(str(cut))
    assert image.shape == (1, 3, 64, 64)
    np.testing.assert_allclose(
        image[0, :, -1, -1].numpy(), 128 / 255, atol=3 / 255)
