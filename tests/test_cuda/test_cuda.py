"""CUDA readiness: run on a GPU machine (``tools/experiments/gpu_check.sh``),
skipped where there is none. ``CDI_TEST_DEVICE=cpu`` runs the same tests on the
CPU (what ``gpu_check.sh --dry-run`` does in CI), so they are known to work
before a GPU is there."""
import os

import pytest
import torch
from helpers import PYTHON, REPO, TINY_CLS, run_tool, tiny_config

from cdi_mm.codecs import build_codec, compress_images, decompress_image
from cdi_mm.safe_checkpoint import safe_load

DEVICE = os.environ.get('CDI_TEST_DEVICE', 'cuda')
pytestmark = [
    pytest.mark.cuda,
    pytest.mark.skipif(
        DEVICE == 'cuda' and not torch.cuda.is_available(),
        reason='needs a CUDA device (CDI_TEST_DEVICE=cpu runs it on the CPU)'),
]
TINY = dict(channels=4, N=8)
TINY_JOINT = os.path.join(REPO, 'tests', 'data', 'configs',
                          'tiny_joint_fashion_mnist.py')


@pytest.mark.parametrize('cfg', [
    dict(type='factorized-prior-s8', **TINY),
    dict(type='torfason2018', num_groups=1, blocks_per_group=1, **TINY)
])
def test_files_decode_to_the_same_latent_on_both_devices(cfg):
    torch.manual_seed(0)
    cpu = build_codec(cfg).eval()
    cpu.update(force=True)
    device = build_codec(cfg).eval()
    device.load_state_dict(cpu.state_dict())
    device.to(DEVICE)
    images = torch.rand(2, 3, 40, 48)
    for data in compress_images(cpu,
                                images):  # CPU file, decoded on the device
        on_device = decompress_image(device, data, reconstruct=True)
        on_cpu = decompress_image(cpu, data, reconstruct=True)
        assert torch.equal(on_device.latent.cpu(), on_cpu.latent)
        assert (on_device.image.cpu() - on_cpu.image).abs().max() < 1e-4
    for data in compress_images(device,
                                images.to(DEVICE)):  # and the other way round
        assert torch.equal(
            decompress_image(cpu, data).latent,
            decompress_image(device, data).latent.cpu())


def test_codec_stem_output_is_on_the_model_device(tmp_path):
    from helpers import save_codec_checkpoint

    from cdi_mm.models import CodecStem
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    stem = CodecStem(codec_checkpoint=ckpt).to(DEVICE).eval()
    with torch.no_grad():
        out = stem(torch.rand(2, 3, 32, 32, device=DEVICE))
    assert out.device.type == torch.device(DEVICE).type and out.shape == (2, 4,
                                                                          4, 4)


def test_safe_checkpoint_loader_maps_to_the_device(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    torch.save({'state_dict': {'w': torch.ones(3)}, 'meta': {}}, path)
    loaded = safe_load(path, map_location=DEVICE)
    assert loaded['state_dict']['w'].device.type == torch.device(DEVICE).type


@pytest.mark.parametrize(
    'config, extra',
    [
        (TINY_CLS, []),
        ('seg', []),  # SyncBN: kept on a GPU, BN on the CPU
        (TINY_JOINT, ['--amp']),
    ])
def test_one_training_iteration(tmp_path, fashion_scenes_root, config, extra):
    if config == 'seg':
        config, options = tiny_config('seg', fashion_scenes_root)
    else:
        options = ['--cfg-options']
    if DEVICE == 'cpu' and '--amp' in extra:
        extra = []  # AMP autocasts CUDA ops; the CPU dry run checks the rest
    options += [
        'train_cfg.max_iters=1', 'train_cfg.val_interval=1',
        'default_hooks.checkpoint.interval=1'
    ]
    env = {'CUDA_VISIBLE_DEVICES': ''} if DEVICE == 'cpu' else {}
    run_tool([
        PYTHON, 'tools/train.py', config, '--work-dir',
        str(tmp_path), *extra, *options
    ],
             cwd=REPO,
             env=env)
    assert os.path.exists(tmp_path / 'iter_1.pth')
