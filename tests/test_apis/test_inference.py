"""init_model / inference / tools/infer.py on real trained checkpoints: images
and .cdi files, classification and segmentation, refusal of a mismatched
codec."""
import glob
import os.path as osp
import re

import numpy as np
import pytest
from helpers import PYTHON, REPO, latent_classifier_cfg, run_tool, tiny_config
from mmengine.config import Config
from mmengine.runner import Runner

from cdi_mm.apis import inference, init_model
from cdi_mm.codecs import BitstreamError
from cdi_mm.engine import CodecMismatchError

FASHION = osp.join(REPO, 'cdi_mm', 'datasets', 'embedded', 'fashion_mnist')


@pytest.fixture(scope='module')
def trained_tiny(tmp_path_factory, fashion_scenes_root):
    """Checkpoints of the tiny classification and segmentation configs (4
    iterations)."""
    out = {}
    for kind in ('cls', 'seg'):
        work_dir = str(tmp_path_factory.mktemp(kind))
        cfg, opts = tiny_config(kind, fashion_scenes_root)
        run_tool(
            [PYTHON, 'tools/train.py', cfg, '--work-dir', work_dir, *opts],
            cwd=REPO)
        out[kind] = (cfg, osp.join(work_dir, 'iter_4.pth'))
    return out


def test_classify_an_image(trained_tiny):
    config, ckpt = trained_tiny['cls']
    model = init_model(config, ckpt)
    image = sorted(glob.glob(osp.join(FASHION, 'test', '*', '*.png')))[0]
    result = inference(model, image, topk=3)
    assert len(result['labels']) == 3 and result['scores'] == sorted(
        result['scores'], reverse=True)
    assert set(result['labels']) <= set(model.dataset_meta['classes'])
    assert 0 < sum(result['scores']) <= 1 + 1e-6
    out = run_tool(
        [PYTHON, 'tools/infer.py', config, ckpt, image, '--topk', '2'],
        cwd=REPO)
    printed = [
        line.split(maxsplit=1) for line in out.stdout.splitlines()
        if re.match(r'\d\.\d{4}  ', line)
    ]
    assert [label for _, label in printed] == result['labels'][:2]


def test_segment_an_image_and_write_overlay(trained_tiny, fashion_scenes_root,
                                            tmp_path):
    config, ckpt = trained_tiny['seg']
    cfg = Config.fromfile(config)
    cfg.test_dataloader.dataset.data_root = fashion_scenes_root
    model = init_model(cfg, ckpt)
    image = sorted(
        glob.glob(osp.join(fashion_scenes_root, 'img_dir', 'val', '*.png')))[0]
    result = inference(model, image)
    assert result['mask'].shape == (64,
                                    64) and result['mask'].dtype == np.int64
    overlay = tmp_path / 'overlay.png'
    run_tool([
        PYTHON, 'tools/infer.py', config, ckpt, image, '--out-file',
        str(overlay)
    ],
             cwd=REPO)
    assert overlay.stat().st_size > 1000


def test_cdi_inference_and_codec_mismatch(tmp_path,
                                          two_codecs_two_latent_sets):
    (ckpt_a, root_a, _), (ckpt_b, root_b, _) = (
        two_codecs_two_latent_sets[k] for k in 'ab')
    Runner.from_cfg(latent_classifier_cfg(tmp_path / 'train', ckpt_a,
                                          root_a)).train()
    trained = str(tmp_path / 'train' / 'iter_2.pth')
    model = init_model(
        latent_classifier_cfg(tmp_path / 'a', ckpt_a, root_a), trained)
    result = inference(model, osp.join(root_a, '0.cdi'), topk=2)
    assert len(result['label_ids']) == 2
    with pytest.raises(BitstreamError, match='made by codec'):
        inference(model, osp.join(root_b, '0.cdi'))
    with pytest.raises(ValueError, match='this config reads latents'):
        inference(model, osp.join(root_a, '..', 'src', '0.png'))

    other = init_model(
        latent_classifier_cfg(tmp_path / 'b', ckpt_b, root_b), trained)
    with pytest.raises(
            CodecMismatchError, match='the latents come from codec'):
        inference(other, osp.join(root_b, '0.cdi'))
    config = str(tmp_path / 'preencoded_b.py')
    other.cfg.dump(config)
    proc = run_tool(
        [PYTHON, 'tools/infer.py', config, trained,
         osp.join(root_b, '0.cdi')],
        cwd=REPO,
        check=False)
    assert proc.returncode != 0 and 'error: CodecMismatchError:' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_init_model_on_the_cpu_turns_syncbn_into_batchnorm():
    import torch.nn as nn
    from torch.nn.modules.batchnorm import _BatchNorm
    config = osp.join(
        REPO, 'configs', 'deeplab',
        'deeplabv3_cresnet51-d8_c32-preencoded_4xb4-20k_voc12aug-512x512.py')
    assert Config.fromfile(config).model.backbone.norm_cfg.type == 'SyncBN'
    model = init_model(config)
    norms = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    assert norms and not any(
        isinstance(m, nn.SyncBatchNorm) for m in model.modules())
    assert model.cfg.filename == config and not model.training


def test_segmentation_grid_has_a_row_per_scene_and_a_column_per_model(
        trained_tiny, fashion_scenes_root, tmp_path):
    from PIL import Image

    from cdi_mm.apis import model_input
    from cdi_mm.apis.segmentation_grid import TITLE_HEIGHT
    config, ckpt = trained_tiny['seg']
    cfg = Config.fromfile(config)
    cfg.test_dataloader.dataset.data_root = fashion_scenes_root
    cfg.dump(str(tmp_path / 'seg.py'))
    out = tmp_path / 'grid.png'
    run_tool([
        PYTHON, 'tools/analysis_tools/segmentation_grid.py',
        fashion_scenes_root,
        str(out), '--model', 'a',
        str(tmp_path / 'seg.py'), ckpt, '--model', 'b',
        str(tmp_path / 'seg.py'), ckpt, '--count', '3'
    ],
             cwd=REPO)
    # 64x64 scenes: scene, ground truth and two predictions; three rows
    assert Image.open(out).size == (4 * 64, 3 * 64 + TITLE_HEIGHT)
    model = init_model(cfg, ckpt)
    assert model_input(model,
                       '00001') == osp.join(fashion_scenes_root, 'img_dir',
                                            'val', '00001.png')
    with pytest.raises(FileNotFoundError, match='0 files named 99999'):
        model_input(model, '99999')
