"""``LoadLatentSymbols`` (read, crop and flip in the tile decoder, int16
symbols) against the float pipeline it replaces, and the data preprocessor
that turns its symbols into latent values."""
import numpy as np
import pytest
import torch
from helpers import save_codec_checkpoint
from mmengine.dataset import default_collate, pseudo_collate
from mmpretrain.datasets.transforms import PackInputs
from mmpretrain.models.utils import ClsDataPreprocessor

from cdi_mm.codecs import PAD_SYMBOL, compress_images
from cdi_mm.datasets import (LatentRandomCrop, LatentRandomFlip,
                             LoadLatentFromFile, LoadLatentSymbols)
from cdi_mm.models import LatentClsDataPreprocessor

META_KEYS = ('img_path', 'ori_shape', 'img_shape', 'flip', 'latent_dequant')


@pytest.fixture(scope='module')
def latent_files(tmp_path_factory):
    """Six 72x88 images (9x11 latents, C=8) as v2 files with 4x4 tiles, and
    the first as a v1 file; ``(checkpoint, v2 paths, v1 path)``."""
    root = tmp_path_factory.mktemp('symbols')
    ckpt = str(root / 'codec.pth')
    codec = save_codec_checkpoint(ckpt, channels=8)
    images = torch.rand(
        6, 3, 72, 88, generator=torch.Generator().manual_seed(0))
    paths = []
    for i, data in enumerate(compress_images(codec, images, tile_side=4)):
        paths.append(str(root / f'{i}.cdi'))
        open(paths[-1], 'wb').write(data)
    v1 = str(root / 'v1.cdi')
    open(v1, 'wb').write(compress_images(codec, images[:1], tile_side=None)[0])
    return ckpt, paths, v1


def _mask(height=72, width=88):
    rows, cols = np.mgrid[0:height, 0:width]
    return (rows // 8 * 11 + cols // 8).astype(np.uint8)


@pytest.mark.parametrize('crop_size', [(4, 5), (9, 11), (12, 13)])
def test_same_crop_flip_and_masks_as_the_float_pipeline(
        latent_files, crop_size):
    ckpt, paths, _ = latent_files
    symbols = LoadLatentSymbols(
        crop_size, flip_prob=0.5, codec_checkpoint=ckpt)
    loads = LoadLatentFromFile(ckpt)
    crop, flip = LatentRandomCrop(crop_size), LatentRandomFlip(0.5)
    for seed, path in enumerate(paths * 2):
        sample = dict(
            img_path=path, gt_seg_map=_mask(), seg_fields=['gt_seg_map'])
        np.random.seed(seed)
        expected = flip(crop(loads(dict(sample))))
        np.random.seed(seed)
        got = symbols(dict(sample))
        assert got['img'].dtype == torch.int16
        assert got['img'].shape == (8, *crop_size)
        latent = got['latent_dequant'](got['img'])
        assert torch.equal(latent,
                           torch.from_numpy(expected['img']).permute(2, 0, 1))
        assert np.array_equal(got['gt_seg_map'], expected['gt_seg_map'])
        for key in ('img_shape', 'ori_shape', 'flip', 'latent_crop_offset'):
            assert got[key] == expected[key], key
    padded = symbols(dict(img_path=paths[0]))['img']
    assert (padded == PAD_SYMBOL).any() == (crop_size[0] > 9)


def test_version_1_files_give_the_same_symbols(latent_files):
    ckpt, paths, v1 = latent_files
    loader = LoadLatentSymbols(codec_checkpoint=ckpt)
    assert torch.equal(
        loader(dict(img_path=v1))['img'],
        loader(dict(img_path=paths[0]))['img'])
    center = LoadLatentSymbols((5, 5), crop='center', codec_checkpoint=ckpt)
    assert center(dict(img_path=paths[0]))['latent_crop_offset'] == (2, 3)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='crop must be'):
        LoadLatentSymbols(crop='middle')
    with pytest.raises(ValueError, match='crop_size'):
        LoadLatentSymbols(crop_size=(0, 4))
    with pytest.raises(ValueError, match='flip_prob'):
        LoadLatentSymbols(flip_prob=2)


@pytest.mark.parametrize('collate', [pseudo_collate, default_collate])
def test_preprocessor_gives_the_float_pipelines_batch(latent_files, collate):
    ckpt, paths, _ = latent_files
    pack = PackInputs(meta_keys=META_KEYS)
    symbols = LoadLatentSymbols((6, 7), flip_prob=0.5, codec_checkpoint=ckpt)
    loads = LoadLatentFromFile(ckpt)
    crop, flip = LatentRandomCrop((6, 7)), LatentRandomFlip(0.5)
    np.random.seed(0)
    batch = collate([pack(symbols(dict(img_path=p))) for p in paths])
    np.random.seed(0)
    floats = pseudo_collate(
        [PackInputs()(flip(crop(loads(dict(img_path=p))))) for p in paths])
    ours = LatentClsDataPreprocessor()(batch)['inputs']
    stock = ClsDataPreprocessor()(floats)['inputs']
    assert ours.dtype == torch.float32 and ours.shape == (6, 8, 6, 7)
    assert torch.equal(ours, stock)
    # float inputs pass through exactly as the stock preprocessor takes them
    assert torch.equal(LatentClsDataPreprocessor()(floats)['inputs'], stock)


def test_preprocessor_refuses_symbols_without_their_map(latent_files):
    ckpt, paths, _ = latent_files
    loader = LoadLatentSymbols((6, 7), codec_checkpoint=ckpt)
    batch = pseudo_collate([PackInputs()(loader(dict(img_path=paths[0])))])
    with pytest.raises(ValueError, match='latent_dequant'):
        LatentClsDataPreprocessor()(batch)
