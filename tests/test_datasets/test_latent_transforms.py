import numpy as np
import pytest

from cdi_mm.datasets import LatentRandomCrop, LatentRandomFlip


def _pattern(h, w, height, width, stride=8):
    """Latent element (i, j) holds i*w + j; every mask pixel holds the index of
    the latent element covering it (image of height x width <= grid)."""
    latent = np.arange(
        h * w, dtype=np.float32).reshape(h, w, 1).repeat(
            3, axis=2)
    rows, cols = np.mgrid[0:height, 0:width]
    mask = ((rows // stride) * w + cols // stride).astype(np.uint8)
    return dict(
        img=latent,
        gt_seg_map=mask,
        seg_fields=['gt_seg_map'],
        latent_stride=stride,
        img_shape=(h, w))


def _assert_aligned(results, stride=8):
    latent, mask = results['img'], results['gt_seg_map']
    assert mask.shape == (latent.shape[0] * stride, latent.shape[1] * stride)
    for i in range(latent.shape[0]):
        for j in range(latent.shape[1]):
            block = mask[i * stride:(i + 1) * stride,
                         j * stride:(j + 1) * stride]
            values = set(np.unique(block)) - {255}
            assert values <= {int(latent[i, j,
                                         0])}, (i, j, values, latent[i, j, 0])


@pytest.mark.parametrize('seed', range(5))
def test_crop_and_flip_keep_mask_aligned_at_8x(seed):
    np.random.seed(seed)
    # a 61x45 image has an 8x6 latent (ceil); the mask is padded with 255 to
    # 64x48
    results = _pattern(8, 6, 61, 45)
    results = LatentRandomCrop(crop_size=(5, 4))(results)
    results = LatentRandomFlip(prob=1.0)(results)
    assert results['img'].shape == (5, 4, 3) and results['img_shape'] == (5, 4)
    assert results['flip'] and results['flip_direction'] == 'horizontal'
    _assert_aligned(results)


def test_crop_offset_maps_to_8x_mask_window():
    np.random.seed(1)
    results = LatentRandomCrop(crop_size=(4, 4))(_pattern(64, 64, 512, 512))
    y, x = results['latent_crop_offset']
    assert results['img'][0, 0, 0] == y * 64 + x
    assert results['gt_seg_map'].shape == (32, 32)
    expected = ((np.arange(32)[:, None] // 8 + y) * 64 +
                np.arange(32)[None] // 8 + x) % 256
    assert np.array_equal(results['gt_seg_map'], expected)


def test_small_latent_is_padded_to_the_crop_and_ignored():
    np.random.seed(0)
    results = LatentRandomCrop(crop_size=(10, 10))(_pattern(8, 6, 61, 45))
    assert results['img'].shape == (10, 10, 3)
    assert (results['img'][8:] == 0).all() and (results['gt_seg_map'][64:]
                                                == 255).all()
    _assert_aligned(results)


def test_mask_larger_than_grid_is_an_error():
    results = _pattern(4, 4, 32, 32)
    results['gt_seg_map'] = np.zeros((40, 32), np.uint8)
    with pytest.raises(ValueError, match='larger than the latent grid 4x4'):
        LatentRandomFlip(prob=1.0)(results)
