"""Write Fashion-MNIST (Xiao et al. 2017, MIT licence) from its IDX files in
the layout of :mod:`cdi_mm.datasets.fashion_mnist`."""
import gzip
import os
import os.path as osp

import numpy as np
from PIL import Image

from cdi_mm.datasets.fashion_mnist import FASHION_MNIST_FOLDERS

__all__ = ['read_idx', 'write_fashion_mnist']

_IDX = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')
}


def read_idx(path):
    """Read an IDX file (optionally ``.gz``) into a uint8 numpy array.

    Raises:
        ValueError: The file is not a uint8 IDX file.
    """
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    if len(data) < 4 or data[:2] != b'\x00\x00' or data[2] != 0x08:
        raise ValueError(f'{path} is not a uint8 IDX file')
    ndim = data[3]
    shape = tuple(
        int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim))
    offset = 4 + 4 * ndim
    if len(data) - offset != int(np.prod(shape)):
        raise ValueError(
            f'{path}: payload size does not match header shape {shape}')
    return np.frombuffer(data, np.uint8, offset=offset).reshape(shape)


def _find_idx(src, name):
    for candidate in (name, name + '.gz'):
        if osp.exists(osp.join(src, candidate)):
            return osp.join(src, candidate)
    raise FileNotFoundError(
        f'{name}[.gz] not found in {src} (install Debian\'s '
        'dataset-fashion-mnist or download the IDX files)')


def write_fashion_mnist(src, out, per_class=None):
    """Write Fashion-MNIST from IDX files in ``src`` to the PNG layout under
    ``out``.

    Args:
        src (str): Folder with the four IDX files (``.gz`` or raw).
        out (str): Output root.
        per_class (dict[str, int], optional): Keep only the first N images of
            each class per split, e.g. ``{'train': 200, 'test': 50}``; all when
            None.

    Returns:
        dict[str, int]: Number of images written per split.
    """
    counts = {}
    for split, (img_name, lbl_name) in _IDX.items():
        images = read_idx(_find_idx(src, img_name))
        labels = read_idx(_find_idx(src, lbl_name))
        limit = (per_class or {}).get(split)
        seen = np.zeros(len(FASHION_MNIST_FOLDERS), int)
        lines = []
        for index, (image, label) in enumerate(zip(images, labels)):
            if limit is not None and seen[label] >= limit:
                continue
            seen[label] += 1
            rel = f'{split}/{FASHION_MNIST_FOLDERS[label]}/{index:05d}.png'
            os.makedirs(osp.dirname(osp.join(out, rel)), exist_ok=True)
            Image.fromarray(image).save(osp.join(out, rel), optimize=True)
            lines.append(f'{rel} {label}\n')
        with open(osp.join(out, f'{split}.txt'), 'w') as f:
            f.writelines(lines)
        counts[split] = len(lines)
    return counts
