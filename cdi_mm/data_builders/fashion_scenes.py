""""Fashion scenes": a small semantic segmentation set built from
Fashion-MNIST.

Each scene is a ``size x size`` RGB canvas on a smooth random background with
2-5 tinted garments at random places and scales; the mask gives each pixel the
class of the garment on top (Fashion-MNIST label + 1) or 0 for background,
taken from the garment silhouette. Scenes are a pure function of the seed and
the garment pool, so every machine builds the same set. Layout (mmseg's)::

    ROOT/img_dir/{train,val}/<id>.png      ROOT/ann_dir/{train,val}/<id>.png
"""
import os
import os.path as osp

import numpy as np
from PIL import Image

from cdi_mm.datasets.fashion_mnist import EMBEDDED_ROOT

__all__ = ['make_fashion_scene', 'write_fashion_scenes']

_SILHOUETTE_THRESHOLD = 24


def _load_garments(root, split):
    """Garment images and labels from a Fashion-MNIST PNG layout split."""
    with open(osp.join(root, f'{split}.txt')) as f:
        entries = [line.split() for line in f if line.strip()]
    images = np.stack([
        np.asarray(Image.open(osp.join(root, rel)).convert('L'))
        for rel, _ in entries
    ])
    return images, np.array([int(label) for _, label in entries])


def make_fashion_scene(rng, garments, labels, size=128):
    """Compose one scene.

    Args:
        rng (np.random.Generator): Source of randomness.
        garments (np.ndarray): ``(N, 28, 28)`` uint8 garment images.
        labels (np.ndarray): ``(N,)`` Fashion-MNIST labels.
        size (int): Canvas side in pixels.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(size, size, 3)`` uint8 image and
        ``(size, size)`` uint8 mask with values in ``[0, 10]``.
    """
    coarse = rng.uniform(30, 200, size=(4, 4, 3)).astype(np.float32)
    background = np.asarray(
        Image.fromarray(coarse.astype(np.uint8)).resize(
            (size, size), Image.BICUBIC), np.float32)
    image = background + rng.normal(0, 6, size=(size, size, 3))
    mask = np.zeros((size, size), np.uint8)
    for index in rng.choice(
            len(garments), size=rng.integers(2, 6), replace=False):
        side = int(rng.integers(size // 4, size // 2 + 1))
        garment = np.asarray(
            Image.fromarray(garments[index]).resize((side, side),
                                                    Image.BILINEAR))
        top, left = rng.integers(0, size - side + 1, size=2)
        alpha = garment.astype(np.float32)[..., None] / 255.0
        tint = rng.uniform(0.4, 1.0, size=3) * 255.0
        region = image[top:top + side, left:left + side]
        image[top:top + side,
              left:left + side] = region * (1 - alpha) + alpha * tint
        silhouette = garment > _SILHOUETTE_THRESHOLD
        mask[top:top + side, left:left + side][silhouette] = labels[index] + 1
    return np.clip(image, 0, 255).astype(np.uint8), mask


def write_fashion_scenes(out,
                         num_train=400,
                         num_val=100,
                         size=128,
                         seed=0,
                         garment_root=EMBEDDED_ROOT):
    """Write the fashion-scenes set (train scenes from train garments, val from
    test).

    Args:
        out (str): Output root.
        num_train (int): Number of training scenes.
        num_val (int): Number of validation scenes.
        size (int): Canvas side in pixels.
        seed (int): Seed; the same seed gives byte-identical files.
        garment_root (str): A Fashion-MNIST PNG layout (default: the embedded
            subset).

    Returns:
        dict[str, int]: Number of scenes per split.
    """
    counts = {}
    for split, garment_split, num in (('train', 'train', num_train),
                                      ('val', 'test', num_val)):
        garments, labels = _load_garments(garment_root, garment_split)
        rng = np.random.default_rng([seed, len(split)])
        for kind in ('img_dir', 'ann_dir'):
            os.makedirs(osp.join(out, kind, split), exist_ok=True)
        for i in range(num):
            image, mask = make_fashion_scene(rng, garments, labels, size)
            Image.fromarray(image).save(
                osp.join(out, 'img_dir', split, f'{i:05d}.png'))
            Image.fromarray(mask).save(
                osp.join(out, 'ann_dir', split, f'{i:05d}.png'))
        counts[split] = num
    return counts
