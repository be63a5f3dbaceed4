"""A task checkpoint remembers the codec of its inputs; evaluating it on the
latents of another codec fails with a clear error (real Runner, real
pre-encoded config)."""
import numpy as np
import pytest
from conftest import REPO
from mmengine.config import Config
from mmengine.runner import Runner
from PIL import Image
from test_tools.test_compress_dataset import save_codec_checkpoint

from cdi_mm.apis import compress_dataset, set_codec_checkpoint
from cdi_mm.codecs import codec_fingerprint
from cdi_mm.engine import CodecMismatchError, safe_load

PRE = f'{REPO}/configs/cresnet/cresnet39-w32_c8-preencoded_1xb32-2k_fashion-mnist.py'  # noqa: E501


@pytest.fixture(scope='module')
def two_codecs_two_latent_sets(tmp_path_factory):
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
        compress_dataset(ckpt, str(src), str(root / name), workers=1)
        sets[name] = (ckpt, str(root / name), codec_fingerprint(codec))
    return sets


def _cfg(tmp_path, ckpt, data_root, **overrides):
    cfg = Config.fromfile(PRE)
    set_codec_checkpoint(cfg, ckpt)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
        cfg[loader].batch_size = 4
    cfg.train_cfg = dict(by_epoch=False, max_iters=2, val_interval=2)
    cfg.default_hooks.checkpoint.interval = 2
    cfg.work_dir = str(tmp_path)
    cfg.merge_from_dict(overrides)
    return cfg


def test_checkpoint_records_and_enforces_input_codec(
        tmp_path, two_codecs_two_latent_sets):
    (ckpt_a, root_a, fp_a), (ckpt_b, root_b, fp_b) = (
        two_codecs_two_latent_sets[k] for k in 'ab')
    Runner.from_cfg(_cfg(tmp_path / 'train', ckpt_a, root_a)).train()
    trained = str(tmp_path / 'train' / 'iter_2.pth')
    assert safe_load(trained)['meta']['input_codecs'] == [fp_a]

    metrics = Runner.from_cfg(
        _cfg(tmp_path / 'ok', ckpt_a, root_a, load_from=trained)).test()
    assert 'accuracy/top1' in metrics

    runner = Runner.from_cfg(
        _cfg(tmp_path / 'bad', ckpt_b, root_b, load_from=trained))
    with pytest.raises(
            CodecMismatchError,
            match=rf"test inputs come from codec\(s\) \['{fp_b}'\]"
            rf".*trained on inputs of \['{fp_a}'\].*loaded checkpoint"):
        runner.test()


def test_validation_during_training_on_other_codec_refused(
        tmp_path, two_codecs_two_latent_sets):
    (ckpt_a, root_a, fp_a), (ckpt_b, root_b, _) = (
        two_codecs_two_latent_sets[k] for k in 'ab')
    cfg = _cfg(tmp_path, ckpt_a, root_a)
    set_codec_checkpoint(cfg.val_dataloader, ckpt_b)
    cfg.val_dataloader.dataset.data_root = root_b
    with pytest.raises(
            CodecMismatchError, match='recorded in the training data'):
        Runner.from_cfg(cfg).train()
