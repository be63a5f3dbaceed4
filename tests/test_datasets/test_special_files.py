"""Only regular files are read (issue #33, items 5 and 7): FIFOs, links to
devices and decompression bombs named like images or ``.cdi`` files are
refused at once with the file named, by the latent loaders, the checked image
loader, ``read_image`` and ``compress_dataset`` (listed, not fatal)."""
import os
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cdi_mm.apis import ImageReadError, compress_dataset, read_image
from cdi_mm.codecs import BitstreamError
from cdi_mm.codecs.image_files import UnsafeFileError, read_regular_file
from cdi_mm.datasets import (LoadCheckedImageFromFile, LoadLatentFromFile,
                             LoadLatentSymbols)


def _png_header(width, height):
    """A PNG whose header declares ``width`` x ``height`` (no pixel data)."""

    def chunk(kind, body):
        return (struct.pack('>I', len(body)) + kind + body +
                struct.pack('>I', zlib.crc32(kind + body)))

    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
            chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b''))


@pytest.fixture()
def odd_files(tmp_path):
    os.mkfifo(tmp_path / 'fifo.png')
    os.mkfifo(tmp_path / 'fifo.cdi')
    os.symlink('/dev/zero', tmp_path / 'zero.png')
    os.symlink('/dev/zero', tmp_path / 'zero.cdi')
    os.symlink(tmp_path / 'missing.png', tmp_path / 'dangling.png')
    (tmp_path / 'bomb.png').write_bytes(_png_header(30000, 30000))
    Image.fromarray(np.zeros((24, 32, 3), np.uint8)).save(tmp_path / 'ok.png')
    return tmp_path


@pytest.mark.parametrize('name,kind', [('fifo.png', 'a FIFO'),
                                       ('zero.png', 'a character device')])
def test_read_regular_file_refuses_special_files(odd_files, name, kind):
    with pytest.raises(UnsafeFileError, match=f'{name}: {kind}'):
        read_regular_file(str(odd_files / name))
    with pytest.raises(ImageReadError, match=name):
        read_image(str(odd_files / name))


def test_size_limit(odd_files):
    path = str(odd_files / 'ok.png')
    size = os.path.getsize(path)
    assert len(read_regular_file(path, max_bytes=size)) == size
    with pytest.raises(UnsafeFileError, match=f'over {size - 1} bytes'):
        read_regular_file(path, max_bytes=size - 1)


@pytest.mark.parametrize('name,match',
                         [('fifo.png', 'FIFO'),
                          ('zero.png', 'character device'),
                          ('bomb.png', 'exceeds MAX_IMAGE_PIXELS'),
                          ('dangling.png', 'dangling.png')])
def test_checked_image_loader(odd_files, name, match):
    loader = LoadCheckedImageFromFile()
    with pytest.raises(OSError, match=match):
        loader(dict(img_path=str(odd_files / name)))
    assert LoadCheckedImageFromFile(ignore_empty=True)(
        dict(img_path=str(odd_files / name))) is None
    ok = loader(dict(img_path=str(odd_files / 'ok.png')))
    assert ok['img'].shape == (24, 32, 3) and ok['ori_shape'] == (24, 32)


@pytest.mark.parametrize('loader', [LoadLatentFromFile, LoadLatentSymbols])
@pytest.mark.parametrize('name,match', [('fifo.cdi', 'FIFO'),
                                        ('zero.cdi', 'character device')])
def test_latent_loaders_refuse_special_files(odd_files, tiny_codecs, loader,
                                             name, match):
    transform = loader(codec_checkpoint=tiny_codecs[8])
    with pytest.raises(BitstreamError, match=f'{name}: .*{match}'):
        transform(dict(img_path=str(odd_files / name)))


def test_compress_dataset_lists_special_files(odd_files, tiny_codecs):
    for name in ('fifo.cdi', 'zero.cdi', 'dangling.png'):
        os.remove(odd_files / name)
    report = compress_dataset(
        tiny_codecs[8],
        str(odd_files),
        str(odd_files.parent / 'out'),
        workers=0)
    refused = ' '.join(report['refused'])
    assert report['images'] == 1
    for name in ('fifo.png', 'zero.png', 'bomb.png'):
        assert name in refused
