import os

import numpy as np
import pytest
from helpers import save_codec_checkpoint
from PIL import Image


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'cuda: needs a CUDA device (tests/test_cuda; '
        'CDI_TEST_DEVICE=cpu runs them on the CPU)')
    if os.environ.get('PYTEST_XDIST_WORKER'):
        # `make test` runs two workers on two cores: one thread each, and the
        # tools they start inherit it
        import torch
        os.environ['OMP_NUM_THREADS'] = '1'
        torch.set_num_threads(1)


@pytest.fixture(scope='session')
def fashion_scenes_root(tmp_path_factory):
    """A small fashion-scenes set (16 train / 4 val scenes of 64x64)."""
    from cdi_mm.data_builders import write_fashion_scenes
    root = str(tmp_path_factory.mktemp('fashion_scenes'))
    write_fashion_scenes(root, num_train=16, num_val=4, size=64, seed=0)
    return root


@pytest.fixture(scope='session')
def tiny_codecs(tmp_path_factory):
    """Tiny codec checkpoints at C=8/16/32 that stand in for the configs'
    codecs."""
    root = tmp_path_factory.mktemp('codecs')
    paths = {}
    for channels in (8, 16, 32):
        paths[channels] = str(root / f'c{channels}.pth')
        save_codec_checkpoint(paths[channels], channels=channels)
    return paths


@pytest.fixture()
def voc_like(tmp_path):
    """A tiny mmseg-layout tree with images, masks and an annotation list."""
    src = tmp_path / 'src'
    rng = np.random.default_rng(0)
    for i in range(5):
        for kind, shape in (('img_dir', (40, 48, 3)), ('ann_dir', (40, 48))):
            os.makedirs(src / kind / 'train', exist_ok=True)
            Image.fromarray(rng.integers(0, 255, shape, dtype=np.uint8)).save(
                src / kind / 'train' / f'{i}.png')
    (src /
     'train.txt').write_text('img_dir/train/0.png 1\nimg_dir/train/1.png 0\n')
    return src


@pytest.fixture(scope='module')
def two_codecs_two_latent_sets(tmp_path_factory):
    """Eight images encoded by two tiny codecs: ``{'a': (checkpoint, latent
    root, fingerprint), 'b': ...}``."""
    from cdi_mm.apis import compress_dataset
    from cdi_mm.codecs import codec_fingerprint
    root = tmp_path_factory.mktemp('provenance')
    rng = np.random.default_rng(0)
    src = root / 'src'
    src.mkdir()
    for i in range(8):
        Image.fromarray(rng.integers(0, 255, (64, 64, 3),
                                     dtype=np.uint8)).save(src / f'{i}.png')
    lines = ''.join(f'{i}.png {i % 2}\n' for i in range(8))
    (src / 'train.txt').write_text(lines)
    (src / 'test.txt').write_text(lines)
    sets = {}
    for name, seed in (('a', 0), ('b', 1)):
        ckpt = str(root / f'codec_{name}.pth')
        codec = save_codec_checkpoint(ckpt, seed=seed, channels=8)
        compress_dataset(ckpt, str(src), str(root / name), workers=0)
        sets[name] = (ckpt, str(root / name), codec_fingerprint(codec))
    return sets
