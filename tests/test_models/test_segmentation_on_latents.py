import os

import numpy as np
import pytest
import torch
from helpers import REPO
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from PIL import Image

from cdi_mm.apis import compress_dataset, set_codec_checkpoint

FLY = f'{REPO}/configs/deeplab/deeplabv3_cresnet51-w32-d8_c8_1xb8-4k_fashion-scenes-64x64.py'  # noqa: E501
PRE = (
    f'{REPO}/configs/deeplab/'
    'deeplabv3_cresnet51-w32-d8_c8-preencoded_1xb8-4k_fashion-scenes-64x64.py')


def _config(path, ckpt):
    cfg = Config.fromfile(path)
    set_codec_checkpoint(cfg, ckpt)
    return cfg


@pytest.fixture
def codec_ckpt(tiny_codecs):
    return tiny_codecs[8]


def _write_pair(root, split, name, size, rng, suffix='.png', classes=11):
    height, width = size
    os.makedirs(root / 'img_dir' / split, exist_ok=True)
    os.makedirs(root / 'ann_dir' / split, exist_ok=True)
    Image.fromarray(rng.integers(
        0, 255, (height, width, 3),
        dtype=np.uint8)).save(root / 'img_dir' / split / f'{name}{suffix}')
    Image.fromarray(rng.integers(0, classes, (height, width),
                                 dtype=np.uint8)).save(root / 'ann_dir' /
                                                       split / f'{name}.png')


def test_odd_size_predictions_at_image_size_and_identical_logits(
        tmp_path, codec_ckpt):
    from mmseg.registry import MODELS
    rng = np.random.default_rng(0)
    src = tmp_path / 'src'
    _write_pair(src, 'val', 'odd', (375, 500), rng)
    dst = tmp_path / 'latents'
    compress_dataset(codec_ckpt, str(src), str(dst), workers=0)
    fly_cfg, pre_cfg = _config(FLY, codec_ckpt), _config(PRE, codec_ckpt)
    with DefaultScope.overwrite_default_scope('mmseg'):
        fly = MODELS.build(fly_cfg.model).eval()
        pre = MODELS.build(pre_cfg.model).eval()
        pre.backbone.load_state_dict(fly.backbone.backbone.state_dict())
        pre.decode_head.load_state_dict(fly.decode_head.state_dict())
        pre.auxiliary_head.load_state_dict(fly.auxiliary_head.state_dict())
        a = Compose(fly_cfg.test_pipeline)(
            dict(
                img_path=str(src / 'img_dir' / 'val' / 'odd.png'),
                seg_map_path=str(src / 'ann_dir' / 'val' / 'odd.png'),
                reduce_zero_label=False,
                seg_fields=[]))
        b = Compose(pre_cfg.test_pipeline)(
            dict(
                img_path=str(dst / 'img_dir' / 'val' / 'odd.cdi'),
                seg_map_path=str(dst / 'ann_dir' / 'val' / 'odd.png'),
                reduce_zero_label=False,
                seg_fields=[]))
        assert b['inputs'].shape == (8, 47, 63)  # ceil(375 / 8), ceil(500 / 8)
        with torch.no_grad():
            out_a = fly.test_step(default_collate([a]))[0]
            out_b = pre.test_step(default_collate([b]))[0]
    assert out_a.pred_sem_seg.data.shape == (1, 375, 500)
    assert out_b.pred_sem_seg.data.shape == (1, 375, 500)
    assert torch.equal(out_a.seg_logits.data, out_b.seg_logits.data)


def _write_voc(root, rng, names):
    for kind in ('JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'):
        os.makedirs(root / kind, exist_ok=True)
    for name in names:
        Image.fromarray(rng.integers(0, 255, (80, 96, 3),
                                     dtype=np.uint8)).save(
                                         root / 'JPEGImages' / f'{name}.jpg')
        mask = rng.integers(0, 21, (80, 96), dtype=np.uint8)
        mask[:4] = 255
        Image.fromarray(mask).save(root / 'SegmentationClass' / f'{name}.png')
    for split in ('train', 'val'):
        (root / 'ImageSets' / 'Segmentation' /
         f'{split}.txt').write_text('\n'.join(names) + '\n')


def test_voc_layout_latents_train_and_evaluate_iou(tmp_path, codec_ckpt):
    rng = np.random.default_rng(1)
    src, dst = tmp_path / 'VOC2012', tmp_path / 'VOC2012_c8'
    _write_voc(src, rng, ['2007_000001', '2007_000002', '2007_000003'])
    report = compress_dataset(codec_ckpt, str(src), str(dst), workers=0)
    assert report['images'] == 3
    assert (dst / 'SegmentationClass' / '2007_000001.png').read_bytes() == \
        (src / 'SegmentationClass' / '2007_000001.png').read_bytes()
    cfg = _config(PRE, codec_ckpt)
    cfg.work_dir = str(tmp_path / 'work')
    for loader, split in (('train_dataloader', 'train'), ('val_dataloader',
                                                          'val')):
        dataset = cfg[loader].dataset
        dataset.type = 'PascalVOCDataset'
        dataset.data_root = str(dst)
        dataset.data_prefix = dict(
            img_path='JPEGImages', seg_map_path='SegmentationClass')
        dataset.ann_file = f'ImageSets/Segmentation/{split}.txt'
        dataset.img_suffix = '.cdi'
    cfg.train_dataloader.batch_size = 2
    cfg.test_dataloader = cfg.val_dataloader
    cfg.model.decode_head.num_classes = 21
    cfg.model.auxiliary_head.num_classes = 21
    cfg.model.backbone.norm_cfg = cfg.model.decode_head.norm_cfg = \
        cfg.model.auxiliary_head.norm_cfg = dict(type='BN', requires_grad=True)
    cfg.train_cfg = dict(
        type='IterBasedTrainLoop', max_iters=2, val_interval=2)
    cfg.param_scheduler = []
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', by_epoch=False, interval=2)
    cfg.default_hooks.visualization = dict(type='SegVisualizationHook')
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.val_loop.run()
    assert runner.iter == 2
    assert {'aAcc', 'mIoU', 'mAcc'} <= set(metrics)
    assert 0 <= metrics['mIoU'] <= 100
