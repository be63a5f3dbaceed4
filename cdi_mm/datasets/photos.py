"""The natural-photo pool for codec training and rate-distortion evaluation.

Built offline from scikit-image's bundled photos (public domain / CC0, shipped inside the
pip package) plus any local photo folders the user names. The held-out split is fixed by
name so every machine evaluates on the same photos.
"""
import os
import os.path as osp

import numpy as np
from PIL import Image

__all__ = ['SKIMAGE_PHOTOS', 'HELD_OUT', 'write_photo_pool']

#: Natural photos bundled inside the scikit-image wheel (no download needed); grayscale
#: ones are replicated to RGB.
SKIMAGE_PHOTOS = ('astronaut', 'chelsea', 'coffee', 'rocket', 'hubble_deep_field',
                  'immunohistochemistry', 'retina', 'camera', 'coins',
                  'motorcycle_left', 'motorcycle_right')
#: Fixed held-out photos (never used for training).
HELD_OUT = ('chelsea', 'coffee', 'rocket')
_IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp', '.ppm', '.tif', '.tiff')


def _load_skimage(name):
    from skimage import data
    if name.startswith('motorcycle_'):
        left, right, _ = data.stereo_motorcycle()
        return left if name.endswith('left') else right
    return getattr(data, name)()


def _skimage_photos():
    for name in SKIMAGE_PHOTOS:
        image = np.asarray(_load_skimage(name))
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=2)
        yield name, image[..., :3].astype(np.uint8)


def _folder_photos(folder):
    for dirpath, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if name.lower().endswith(_IMAGE_SUFFIXES):
                image = Image.open(osp.join(dirpath, name)).convert('RGB')
                if min(image.size) >= 160:
                    key = osp.splitext(osp.relpath(osp.join(dirpath, name), folder))[0]
                    yield key.replace(os.sep, '_'), np.asarray(image)


def write_photo_pool(out, extra_dirs=(), held_out_every=5):
    """Write ``out/train/*.png`` and ``out/val/*.png``.

    Args:
        out (str): Output root.
        extra_dirs (Sequence[str]): More local photo folders to include; every
            ``held_out_every``-th of their photos (sorted by path) is held out.
        held_out_every (int): Hold-out period for photos from ``extra_dirs``.

    Returns:
        dict[str, int]: Number of photos per split.
    """
    counts = {'train': 0, 'val': 0}
    for split in counts:
        os.makedirs(osp.join(out, split), exist_ok=True)
    sources = [(name, image, name in HELD_OUT) for name, image in _skimage_photos()]
    for folder in extra_dirs:
        sources += [(f'{osp.basename(folder.rstrip(os.sep))}_{key}', image,
                     i % held_out_every == held_out_every - 1)
                    for i, (key, image) in enumerate(_folder_photos(folder))]
    for name, image, held_out in sources:
        split = 'val' if held_out else 'train'
        Image.fromarray(image).save(osp.join(out, split, f'{name}.png'))
        counts[split] += 1
    return counts
