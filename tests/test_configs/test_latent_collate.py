"""The shipped latent configs load int16 symbols and stack them in the worker:
a real Runner's training loader yields one stacked symbol tensor per batch, and
a training step turns it into latent values."""
import pytest
import torch
from helpers import REPO, latent_classifier_cfg
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

LATENT_CONFIGS = [
    'configs/cresnet/cresnet39-w32_c8-preencoded_1xb32-2k_fashion-mnist.py',
    'configs/cresnet/cresnet51-w32_c32-preencoded_1xb32-2k_fashion-mnist.py',
    'configs/cresnet/cresnet39-w32_c8-preencoded_1xb32-2k_latent-folder.py',
    'configs/photo_objects/cresnet51-w32_c16-preencoded_1xb32-2k_'
    'photo-objects.py',
]


@pytest.mark.parametrize('config', LATENT_CONFIGS)
def test_latent_configs_name_the_symbol_path(config):
    cfg = Config.fromfile(f'{REPO}/{config}')
    assert cfg.train_dataloader.collate_fn.type == 'default_collate'
    assert cfg.model.data_preprocessor.type == 'LatentClsDataPreprocessor'
    for loader in ('train_dataloader', 'test_dataloader'):
        pipeline = cfg[loader].dataset.pipeline
        assert pipeline[0].type == 'LoadLatentSymbols'
        assert 'latent_dequant' in pipeline[-1].meta_keys


def test_runner_stacks_symbols_and_trains_on_latents(
        tmp_path, two_codecs_two_latent_sets):
    ckpt, root, _ = two_codecs_two_latent_sets['a']
    cfg = latent_classifier_cfg(tmp_path, ckpt, root)
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        runner = Runner.from_cfg(cfg)
        batch = next(iter(runner.train_dataloader))
        assert isinstance(batch['inputs'], torch.Tensor)
        assert batch['inputs'].dtype == torch.int16
        assert batch['inputs'].shape == (4, 8, 8, 8)
        data = runner.model.data_preprocessor(batch, training=True)
        assert data['inputs'].dtype == torch.float32
        runner.train()
    assert (tmp_path / 'iter_2.pth').exists()
