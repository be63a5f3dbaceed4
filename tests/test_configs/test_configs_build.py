"""Every shipped config parses and its model builds (codec checkpoints replaced by
freshly made tiny codecs of the right C)."""
import glob
import importlib
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from cdi_mm.apis import set_codec_checkpoint
from conftest import REPO

CONFIGS = sorted(p for p in glob.glob(osp.join(REPO, 'configs', '*', '*.py'))
                 if '_base_' not in p)


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_builds(path, tiny_codecs):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports.imports == ['cdi_mm']
    match = re.search(r'_c(\d+)', osp.basename(path))  # no codec: RGB reference configs
    channels = int(match.group(1)) if match else None
    if channels:
        set_codec_checkpoint(cfg.model, tiny_codecs[channels])
    scope = cfg.get('default_scope') or 'mmpretrain'
    registry = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        model = registry.MODELS.build(cfg.model).eval()
    if cfg.model.type == 'ImageClassifier':
        on_latents = channels and getattr(model.backbone, 'stem', None) is None
        in_channels, size = (channels, 8) if on_latents else (3, 64)
        with torch.no_grad():
            logits = model(torch.rand(1, in_channels, size, size))
        assert logits.shape == (1, model.head.num_classes)
