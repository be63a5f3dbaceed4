"""A pre-encoded data set records its codec (cdi_codec.json);
LoadLatentFromFile without a codec argument finds it, checks it and decodes
with it."""
import json
import shutil

import pytest
import torch
from helpers import save_codec_checkpoint
from mmengine.registry import init_default_scope

from cdi_mm.apis import compress_dataset
from cdi_mm.codecs import BitstreamError, codec_fingerprint, decompress_image
from cdi_mm.datasets import MANIFEST_FILE, LoadLatentFromFile, ManifestError


@pytest.fixture()
def encoded(tmp_path, voc_like):  # noqa: F811
    ckpt = str(tmp_path / 'codec.pth')
    codec = save_codec_checkpoint(ckpt)
    dst = tmp_path / 'dst'
    compress_dataset(ckpt, str(voc_like), str(dst), size=(32, 24), workers=0)
    return codec, ckpt, dst


def test_manifest_records_the_codec(encoded):
    codec, ckpt, dst = encoded
    manifest = json.loads((dst / MANIFEST_FILE).read_text())
    assert manifest['codec']['fingerprint'] == codec_fingerprint(codec)
    assert manifest['codec']['cfg']['type'] == 'torfason2018'
    assert (manifest['codec']['channels'], manifest['codec']['stride']) == (4,
                                                                            8)
    assert manifest['checkpoint']['path'] == ckpt and len(
        manifest['checkpoint']['sha256']) == 64
    assert manifest['size'] == [32, 24]
    assert manifest['counts'] == dict(images=5, refused=0, copied=6)


def test_latent_loader_without_codec_reads_the_manifest(encoded):
    codec, _, dst = encoded
    init_default_scope('mmpretrain')
    loader = LoadLatentFromFile()
    path = str(dst / 'img_dir' / 'train' / '3.cdi')
    results = loader(dict(img_path=path))
    expected = decompress_image(codec, open(path, 'rb').read()).latent
    assert torch.equal(
        torch.from_numpy(results['img']).permute(2, 0, 1), expected)
    assert results['ori_shape'] == (24, 32) and results['latent_stride'] == 8
    assert len(loader._codecs) == 1  # loaded once for the whole root
    loader(dict(img_path=str(dst / 'img_dir' / 'train' / '0.cdi')))
    assert len(loader._codecs) == 1


def test_missing_manifest_is_a_clear_error(encoded, tmp_path):
    _, ckpt, dst = encoded
    (dst / MANIFEST_FILE).unlink()
    path = str(dst / 'img_dir' / 'train' / '0.cdi')
    with pytest.raises(
            ManifestError, match='no cdi_codec.json .* codec_checkpoint'):
        LoadLatentFromFile()(dict(img_path=path))
    # an explicit codec needs no manifest
    explicit = LoadLatentFromFile(codec_checkpoint=ckpt)
    assert explicit(dict(img_path=path))['img'].shape == (3, 4, 4)


def test_changed_checkpoint_is_refused(encoded):
    _, ckpt, dst = encoded
    save_codec_checkpoint(
        ckpt, seed=1)  # other weights under the recorded path
    with pytest.raises(
            ManifestError, match='has changed since the data set was encoded'):
        LoadLatentFromFile()(
            dict(img_path=str(dst / 'img_dir' / 'train' / '0.cdi')))


def test_file_of_another_codec_under_a_manifest_is_refused(
        encoded, tmp_path, voc_like):  # noqa: F811
    _, _, dst = encoded
    other = str(tmp_path / 'other.pth')
    save_codec_checkpoint(other, seed=2)
    compress_dataset(
        other, str(voc_like), str(tmp_path / 'other_dst'), workers=0)
    stranger = dst / 'img_dir' / 'train' / '0.cdi'
    shutil.copyfile(tmp_path / 'other_dst' / 'img_dir' / 'train' / '0.cdi',
                    stranger)
    with pytest.raises(BitstreamError, match='0.cdi'):
        LoadLatentFromFile()(dict(img_path=str(stranger)))


def test_unreadable_manifest(encoded):
    _, _, dst = encoded
    (dst / MANIFEST_FILE).write_text('{"format": "something else"}')
    with pytest.raises(ManifestError, match='not a readable cdi_mm manifest'):
        LoadLatentFromFile()(
            dict(img_path=str(dst / 'img_dir' / 'train' / '0.cdi')))


def test_manifest_naming_a_url_is_refused_without_downloading(encoded):
    _, _, dst = encoded
    manifest = json.loads((dst / MANIFEST_FILE).read_text())
    # a port nothing listens on: a download attempt would fail differently
    manifest['checkpoint']['path'] = 'https://127.0.0.1:9/codec-0123abcd.pth'
    (dst / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ManifestError, match='names a URL'):
        LoadLatentFromFile()(
            dict(img_path=str(dst / 'img_dir' / 'train' / '0.cdi')))
