import glob
import hashlib
import os.path as osp

import pytest
import torch

from cdi_mm.codecs import (BitstreamError, ZooCodec, build_codec,
                           codec_checkpoint_dict, codec_fingerprint,
                           compress_images, decompress_image, pad_to_stride)
from cdi_mm.codecs.weights import WeightsHashError


@pytest.mark.parametrize(
    'name', ['bmshj2018-factorized', 'bmshj2018-hyperprior', 'mbt2018-mean'])
def test_zoo_exact_latent_round_trip(name):
    torch.manual_seed(0)
    codec = build_codec(dict(type='compressai-zoo', name=name,
                             quality=1)).eval()
    assert codec.stride == 16
    images = torch.rand(2, 3, 40, 52)
    encoded = compress_images(codec, images)
    with torch.no_grad():
        expected = codec.encode_latent(
            pad_to_stride(images, codec.pad_multiple))
    for i, data in enumerate(encoded):
        decoded = decompress_image(codec, data, reconstruct=True)
        assert torch.equal(decoded.latent, expected[i])
        assert decoded.latent.shape[0] == codec.latent_channels
        assert decoded.image.shape == (3, 40, 52)


def test_autoregressive_zoo_files_are_refused():
    """cheng2020 / mbt2018 decode symbol by symbol through CompressAI's
    unchecked coder: they still encode, but their files are refused with the
    reason."""
    torch.manual_seed(0)
    codec = build_codec(
        dict(type='compressai-zoo', name='cheng2020-anchor', quality=1))
    codec.eval()
    data = compress_images(codec, torch.rand(1, 3, 64, 64))[0]
    assert codec.encode_latent(torch.rand(
        1, 3, 64, 64)).shape[1] == codec.latent_channels
    with pytest.raises(BitstreamError, match='unchecked rANS decoder'):
        decompress_image(codec, data)


def test_zoo_weights_from_local_path_with_hash(tmp_path):
    torch.manual_seed(1)
    source = ZooCodec('bmshj2018-factorized', quality=1)
    path = tmp_path / 'factorized.pth'
    torch.save(source.model.state_dict(), path)
    sha8 = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    named = tmp_path / f'factorized_20261125-{sha8}.pth'
    path.rename(named)
    loaded = ZooCodec('bmshj2018-factorized', quality=1, weights=str(named))
    data = compress_images(source.eval(), torch.rand(1, 3, 32, 32))[0]
    assert torch.equal(
        decompress_image(loaded.eval(), data).latent,
        decompress_image(source, data).latent)
    bad = tmp_path / 'factorized_20261125-00000000.pth'
    bad.write_bytes(named.read_bytes())
    with pytest.raises(
            WeightsHashError, match='does not match the hash 00000000'):
        ZooCodec('bmshj2018-factorized', quality=1, weights=str(bad))


def test_zoo_and_paper_codec_latents_do_not_mix():
    torch.manual_seed(0)
    zoo = build_codec(
        dict(type='compressai-zoo', name='bmshj2018-factorized', quality=1))
    data = compress_images(zoo.eval(), torch.rand(1, 3, 32, 32))[0]
    paper = build_codec(
        dict(
            type='torfason2018',
            channels=192,
            N=8,
            num_groups=1,
            blocks_per_group=1)).eval()
    paper.update(force=True)
    with pytest.raises(
            BitstreamError, match="made by codec 'bmshj2018-factorized"):
        decompress_image(paper, data)


def test_unknown_zoo_name():
    with pytest.raises(KeyError, match="unknown CompressAI zoo model 'jpeg'"):
        ZooCodec('jpeg', quality=1)


def test_codecs_package_has_no_openmmlab_imports():
    root = osp.join(osp.dirname(__file__), '..', '..', 'cdi_mm', 'codecs')
    for path in glob.glob(osp.join(root, '*.py')):
        text = open(path).read()
        for mm in ('mmengine', 'mmcv', 'mmpretrain', 'mmseg'):
            assert f'import {mm}' not in text and f'from {mm}' not in text, (
                path, mm)


def _checkpoint_recording(cfg, codec):
    return codec_checkpoint_dict(codec, cfg=cfg)


def test_checkpoints_may_name_only_known_codecs_and_fetch_nothing():
    from cdi_mm.codecs import CodecCheckpointError, codec_from_checkpoint
    codec = build_codec(
        dict(type='compressai-zoo', name='bmshj2018-factorized',
             quality=1)).eval()
    # weights recorded as a URL are ignored: the weights are the checkpoint's
    # own
    cfg = dict(
        codec.build_cfg, weights='https://example.invalid/x-0123abcd.pth')
    loaded = codec_from_checkpoint(_checkpoint_recording(cfg, codec))
    assert codec_fingerprint(loaded) == codec_fingerprint(codec)
    assert 'weights' not in loaded.build_cfg
    for forged in (
            dict(type='bmshj2018-factorized',
                 quality=1),  # any CompressAI model
            dict(codec.build_cfg, quality=[1, {
                'x': object()
            }]),  # not plain
            'compressai-zoo'):
        with pytest.raises(
                CodecCheckpointError, match='checkpoints may only name'):
            codec_from_checkpoint(_checkpoint_recording(forged, codec))
    with pytest.raises(CodecCheckpointError, match='cannot be built'):
        codec_from_checkpoint(
            _checkpoint_recording(dict(codec.build_cfg, depth=3), codec))


def test_download_urls_must_be_verifiable():
    from cdi_mm.codecs.weights import WeightsHashError, check_download_url
    check_download_url(
        'https://example.org/models/codec_20261128-0123abcd.pth')
    check_download_url(
        'http://127.0.0.1:8000/codec-0123abcd.pth')  # a local mirror
    for url, match in (
        ('http://example.org/codec-0123abcd.pth',
         'plain http'), ('https://example.org/codec.pth', 'no -<sha256'),
        ('https://example.org/codec-0123abcd.pth?x=codec-nothex1',
         None), ('ftp://example.org/codec-0123abcd.pth', 'only https')):
        if match is None:
            check_download_url(url)  # the query string is not the file name
            continue
        with pytest.raises(WeightsHashError, match=match):
            check_download_url(url)
