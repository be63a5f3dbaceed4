"""Every shipped config parses, its model builds (codec checkpoints replaced by
freshly made tiny codecs of the right C), its pipelines and (where the data is
here) datasets build, and its codec operating point agrees everywhere."""
import copy
import glob
import importlib
import json
import os.path as osp
import re

import pytest
import torch
from helpers import REPO
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import DefaultScope

from cdi_mm.apis import set_codec_checkpoint
from cdi_mm.datasets import MANIFEST_FILE

CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '*', '*.py'))
    if '_base_' not in p)


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_builds(path, tiny_codecs):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports.imports == ['cdi_mm.openmmlab']
    match = re.search(r'_c(\d+)',
                      osp.basename(path))  # no codec: RGB reference configs
    channels = int(match.group(1)) if match else None
    if channels:
        set_codec_checkpoint(cfg.model, tiny_codecs[channels])
    head = cfg.model.get('head') or {}
    if head.get('type') == 'LinearClsHead' and 'num_classes' not in head:
        head.num_classes = 3  # left to the inheriting config (your own data)
    scope = cfg.get('default_scope') or 'mmpretrain'
    registry = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        model = registry.MODELS.build(cfg.model).eval()
    if cfg.model.type == 'ImageClassifier':
        on_latents = cfg.model.backbone.get('in_channels', 3) != 3
        in_channels, size = (channels, 8) if on_latents else (3, 64)
        with torch.no_grad():
            logits = model(torch.rand(1, in_channels, size, size))
        assert logits.shape == (1, model.head.num_classes)


def _strings(node, where=''):
    """(dotted key, value) of every string in a config."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f'{where}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _strings(value, f'{where}[{i}]')
    elif isinstance(node, str):
        yield where, node


def _dataloaders(cfg):
    return [(name, cfg[name]) for name in ('train_dataloader',
                                           'val_dataloader', 'test_dataloader')
            if cfg.get(name)]


def _leaf_datasets(dataset):
    """The datasets that hold pipelines (ConcatDataset / RepeatDataset
    unwrapped)."""
    inner = dataset.get('datasets') or ([dataset['dataset']]
                                        if 'dataset' in dataset else [])
    return [leaf for d in inner
            for leaf in _leaf_datasets(d)] if inner else [dataset]


def _reads_latent(cfg):
    stem = cfg.model.backbone.get('stem') or {}
    return stem.get('output') == 'latent' or any(
        t['type'] == 'LoadLatentFromFile' for _, loader in _dataloaders(cfg)
        for leaf in _leaf_datasets(loader.dataset)
        for t in leaf.get('pipeline', []))


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_codec_channels_agree(path):
    """The operating point in a config's name is the one of every checkpoint
    and data root it names (no stale inherited path), of the backbone's input
    channels when it reads latents, and of the manifest of any pre-encoded data
    set present here."""
    cfg = Config.fromfile(path)
    match = re.search(r'_c(\d+)', osp.basename(path))
    if not match:
        pytest.skip('no codec operating point')
    channels = int(match.group(1))
    for where, value in _strings(cfg.to_dict()):
        if where != '.load_from' and (value.endswith('.pth')
                                      or where.endswith('data_root')):
            named = re.search(r'_c(\d+)(?=[_\-/.]|$)',
                              osp.basename(value.rstrip('/')))
            assert not named or int(
                named.group(1)) == channels, f'{where} = {value!r}'
    if cfg.model.type != 'CodecModel' and _reads_latent(cfg):
        backbone = cfg.model.backbone.get('backbone', cfg.model.backbone)
        assert backbone.in_channels == channels
    for name, loader in _dataloaders(cfg):
        manifest = osp.join(
            REPO,
            _leaf_datasets(loader.dataset)[0].get('data_root', ''),
            MANIFEST_FILE)
        if osp.isfile(manifest):
            with open(manifest) as f:
                codec = json.load(f)['codec']
            assert (codec['channels'], codec['stride']) == (channels, 8), name


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_pipelines_and_datasets_build(path):
    """Every dataloader's pipeline builds; its dataset too where its data is
    here (the embedded data sets always are), and is not empty."""
    cfg = Config.fromfile(path)
    scope = cfg.get('default_scope') or 'mmpretrain'
    registry = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        for name, loader in _dataloaders(cfg):
            for dataset in _leaf_datasets(copy.deepcopy(loader.dataset)):
                assert Compose(dataset.get('pipeline', [])).transforms, name
                root = dataset.get('data_root')
                if root and osp.isdir(osp.join(REPO, root)):
                    dataset.data_root = osp.join(REPO, root)
                    built = registry.DATASETS.build(dataset)
                    assert len(built) > 0, f'{name}: no samples under {root}'
