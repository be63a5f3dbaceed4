"""The VOC segmenters are initialised from the matching ImageNet classifiers
(Torfason et al. 2018, Sec. 4.2): the checkpoint each names is the work dir of
a classification config of ours, and its weights land in the segmenter's
backbone (prefix right, keys matching)."""
import os.path as osp
import re

import pytest
import torch
from helpers import REPO
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpretrain.registry import MODELS as CLS_MODELS
from mmseg.registry import MODELS as SEG_MODELS

from cdi_mm.apis import set_codec_checkpoint

SEGMENTERS = [
    'deeplabv3_cresnet51-d8_c32_4xb4-20k_voc12aug-512x512.py',
    'deeplabv3_cresnet51-d8_c32-preencoded_4xb4-20k_voc12aug-512x512.py',
    'deeplabv3_r71-d8_c8-decoded_4xb4-20k_voc12aug-512x512.py'
]


def _classifier_config(checkpoint):
    name = re.fullmatch(r'work_dirs/(.+)/epoch_\d+\.pth', checkpoint).group(1)
    for folder in ('cresnet', 'resnet_decoded'):
        path = osp.join(REPO, 'configs', folder, f'{name}.py')
        if osp.exists(path):
            return Config.fromfile(path)
    raise AssertionError(
        f'{checkpoint} is not the work dir of a classification config')


def _init_cfg(model_cfg):
    backbone = model_cfg.backbone
    return backbone.get('init_cfg') or backbone.backbone.init_cfg


@pytest.mark.parametrize('name', SEGMENTERS)
def test_segmenter_loads_its_classifier(name, tmp_path, tiny_codecs):
    seg_cfg = Config.fromfile(osp.join(REPO, 'configs', 'deeplab', name))
    init_cfg = _init_cfg(seg_cfg.model)
    cls_cfg = _classifier_config(init_cfg.checkpoint)
    channels = int(re.search(r'_c(\d+)', name).group(1))
    for cfg in (seg_cfg, cls_cfg):
        set_codec_checkpoint(cfg.model, tiny_codecs[channels])
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        classifier = CLS_MODELS.build(cls_cfg.model)
    torch.save({'state_dict': classifier.state_dict()}, tmp_path / 'cls.pth')
    init_cfg.checkpoint = str(tmp_path / 'cls.pth')
    with DefaultScope.overwrite_default_scope('mmseg'):
        segmenter = SEG_MODELS.build(seg_cfg.model)
    segmenter.init_weights()
    ours = segmenter.backbone.state_dict()
    theirs = classifier.backbone.state_dict()
    if not {'backbone.conv1.weight', 'stem.codec.g_a.0.weight'} & set(ours):
        theirs = classifier.backbone.backbone.state_dict(
        )  # pre-encoded: the CResNet only
    task_keys = [k for k in theirs if 'num_batches_tracked' not in k]
    assert set(task_keys) <= set(ours)
    assert all(torch.equal(ours[k], theirs[k]) for k in task_keys)
