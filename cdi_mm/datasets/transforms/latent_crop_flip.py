"""Spatial augmentation on the latent grid that keeps segmentation masks
aligned.

A stride-s latent element (i, j) covers image pixels [i*s, (i+1)*s) x [j*s,
(j+1)*s). Masks stay at image resolution; before a crop or flip they are padded
(with the ignore index) to the grid, ``(h*s, w*s)``, so that a latent crop at
(y, x) of size (ch, cw) is exactly the mask crop at (y*s, x*s) of size (ch*s,
cw*s), and a horizontal flip maps latent column j and mask columns [j*s,
(j+1)*s) to the same place.
"""
import numpy as np
from mmcv.transforms import BaseTransform

from cdi_mm.registry import TRANSFORMS

__all__ = [
    'LatentRandomCrop', 'LatentRandomFlip', 'crop_flip_masks', 'random_offset'
]


def random_offset(count):
    """A uniform integer in ``[0, count)`` from numpy's global stream: one
    ``np.random.rand()`` (a tenth of ``np.random.randint``'s cost, which
    shows in a loader that does little else)."""
    return min(int(np.random.rand() * count), count - 1)


def _masks_on_grid(results, seg_pad_val, grid_hw=None):
    """Pad every mask in ``results`` to the latent grid ``(h*s, w*s)`` (``(h,
    w)``: ``grid_hw``, default the latent's)."""
    stride = results['latent_stride']
    h, w = grid_hw or results['img'].shape[:2]
    for key in results.get('seg_fields', []):
        mask = results[key]
        if mask.shape[0] > h * stride or mask.shape[1] > w * stride:
            raise ValueError(
                f'{key} of shape {mask.shape} is larger than the latent grid '
                f'{h}x{w} at stride {stride}: latent and mask do not match')
        padded = np.full((h * stride, w * stride),
                         seg_pad_val,
                         dtype=mask.dtype)
        padded[:mask.shape[0], :mask.shape[1]] = mask
        results[key] = padded


def crop_flip_masks(results, latent_hw, offset, crop_hw, flip, seg_pad_val):
    """Give every mask in ``results`` the crop (and flip) a latent of
    ``latent_hw`` got: padded to the grid, the window at ``offset`` of
    ``crop_hw`` latent positions, times the stride; positions past the latent
    are ignored (``seg_pad_val``)."""
    if not results.get('seg_fields'):
        return
    stride = results['latent_stride']
    (h, w), (ch, cw), (y, x) = latent_hw, crop_hw, offset
    _masks_on_grid(results, seg_pad_val, (h, w))
    if ch > h or cw > w:
        _masks_on_grid(results, seg_pad_val, (max(h, ch), max(w, cw)))
    for key in results['seg_fields']:
        mask = results[key][y * stride:(y + ch) * stride,
                            x * stride:(x + cw) * stride]
        results[key] = np.ascontiguousarray(mask[:, ::-1] if flip else mask)


@TRANSFORMS.register_module()
class LatentRandomCrop(BaseTransform):
    """Random crop of ``crop_size`` latent elements, masks cropped at the
    matching ``stride``-times larger window. Latents smaller than the crop are
    padded first (latent with ``latent_pad_val``, masks with ``seg_pad_val``,
    i.e. ignored).

    Args:
        crop_size (tuple[int, int]): ``(h, w)`` in latent elements, e.g. (64,
            64) for the paper's 512x512 image crops at stride 8.
        latent_pad_val (float): Defaults to 0.
        seg_pad_val (int): Defaults to 255.
    """

    def __init__(self, crop_size, latent_pad_val=0.0, seg_pad_val=255):
        self.crop_size = tuple(crop_size)
        self.latent_pad_val = latent_pad_val
        self.seg_pad_val = seg_pad_val

    def transform(self, results):
        _masks_on_grid(results, self.seg_pad_val)
        stride = results['latent_stride']
        latent = results['img']
        ch, cw = self.crop_size
        h, w = max(latent.shape[0], ch), max(latent.shape[1], cw)
        if (h, w) != latent.shape[:2]:
            padded = np.full((h, w, latent.shape[2]), self.latent_pad_val,
                             latent.dtype)
            padded[:latent.shape[0], :latent.shape[1]] = latent
            results['img'] = latent = padded
            _masks_on_grid(results, self.seg_pad_val)
        y, x = random_offset(h - ch + 1), random_offset(w - cw + 1)
        results['img'] = latent[y:y + ch, x:x + cw]
        for key in results.get('seg_fields', []):
            results[key] = results[key][y * stride:(y + ch) * stride,
                                        x * stride:(x + cw) * stride]
        results['img_shape'] = (ch, cw)
        results['latent_crop_offset'] = (y, x)
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(crop_size={self.crop_size})'


@TRANSFORMS.register_module()
class LatentRandomFlip(BaseTransform):
    """Horizontal flip of the latent and its masks with probability ``prob``.

    Args:
        prob (float): Flip probability. Defaults to 0.5.
        seg_pad_val (int): Value masks are padded with to reach the grid.
    """

    def __init__(self, prob=0.5, seg_pad_val=255):
        self.prob = prob
        self.seg_pad_val = seg_pad_val

    def transform(self, results):
        flip = bool(np.random.rand() < self.prob)
        results['flip'] = flip
        results['flip_direction'] = 'horizontal' if flip else None
        if flip:
            _masks_on_grid(results, self.seg_pad_val)
            results['img'] = np.ascontiguousarray(results['img'][:, ::-1])
            for key in results.get('seg_fields', []):
                results[key] = np.ascontiguousarray(results[key][:, ::-1])
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(prob={self.prob})'
