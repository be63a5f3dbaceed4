"""Fixtures of the distillation tests."""
import numpy as np
import pytest
from PIL import Image


@pytest.fixture(scope='session')
def photos(tmp_path_factory):
    """Four random 'photos' and one named like an ImageNet-labelled photo."""
    root = tmp_path_factory.mktemp('photos')
    rng = np.random.default_rng(0)
    for name in ('a', 'b', 'c', 'd', 'chelsea'):
        Image.fromarray(rng.integers(
            0, 255, (96, 128, 3), dtype=np.uint8)).save(root / f'{name}.png')
    return str(root)
