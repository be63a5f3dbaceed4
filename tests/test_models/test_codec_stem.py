import pytest
import torch
from helpers import REPO, TINY_CODEC_CFG, save_codec_checkpoint
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate
from mmengine.registry import DefaultScope

from cdi_mm.apis import compress_dataset
from cdi_mm.codecs import compress_images, decompress_image
from cdi_mm.datasets import EMBEDDED_ROOT
from cdi_mm.models import CodecBackbone, CodecStem

CRESNET_CFG = f'{REPO}/configs/cresnet/cresnet39-w32_c8_1xb32-2k_fashion-mnist.py'  # noqa: E501
PRE_CFG = f'{REPO}/configs/cresnet/cresnet39-w32_c8-preencoded_1xb32-2k_fashion-mnist.py'  # noqa: E501


def test_stem_latent_equals_bitstream_latent():
    stem = CodecStem(codec=TINY_CODEC_CFG)
    x = torch.rand(3, 3, 37, 45)
    latent = stem(x)
    assert latent.shape == (3, 4, 5, 6)
    for i, data in enumerate(compress_images(stem.codec, x)):
        assert torch.equal(
            decompress_image(stem.codec, data).latent, latent[i])


def test_stem_frozen_and_reconstruction_size():
    stem = CodecStem(codec=TINY_CODEC_CFG, output='reconstruction')
    stem.train()
    assert not stem.codec.training
    assert not any(p.requires_grad for p in stem.codec.parameters())
    x = torch.rand(2, 3, 37, 45, requires_grad=True)
    out = stem(x)
    assert out.shape == (2, 3, 37, 45) and not out.requires_grad
    assert 0 <= out.min() and out.max() <= 1


def test_trainable_stem_keeps_last_output():
    stem = CodecStem(codec=TINY_CODEC_CFG, frozen=False)
    stem.train()
    y_hat = stem(torch.rand(2, 3, 16, 16))
    assert y_hat.requires_grad
    assert set(stem.last_output) == {'x', 'x_hat', 'y_hat', 'likelihoods'}


def test_stem_and_backbone_errors():
    with pytest.raises(ValueError, match='exactly one of codec'):
        CodecStem()
    with pytest.raises(
            ValueError, match="output must be 'latent' or 'reconstruction'"):
        CodecStem(codec=TINY_CODEC_CFG, output='logits')
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        with pytest.raises(
                ValueError, match='set the backbone in_channels to 4'):
            CodecBackbone(
                stem=dict(type='CodecStem', codec=TINY_CODEC_CFG),
                backbone=dict(type='CResNet', depth=39, in_channels=32))
        zoo = dict(
            type='CodecStem',
            codec=dict(
                type='compressai-zoo', name='bmshj2018-factorized', quality=1))
        with pytest.raises(
                ValueError,
                match='the codec has stride 16 but this backbone '
                'expects latent_stride=8; use a codec of stride 8'):
            CodecBackbone(
                stem=zoo,
                latent_stride=8,
                backbone=dict(type='CResNet', depth=39, in_channels=192))


def _build(cfg_file, ckpt, latent_root=None):
    from mmpretrain.registry import MODELS
    cfg = Config.fromfile(cfg_file)
    if latent_root is None:
        cfg.model.backbone.stem.codec_checkpoint = ckpt
        cfg.model.backbone.backbone.in_channels = 4
    else:
        cfg.model.backbone.in_channels = 4
        for t in cfg.test_pipeline:
            if t['type'] == 'LoadLatentFromFile':
                t['codec_checkpoint'] = ckpt
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = MODELS.build(cfg.model).eval()
        pipeline = Compose(cfg.test_pipeline)
    return model, pipeline


def test_preencoded_and_on_the_fly_logits_identical(tmp_path):
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    root = str(tmp_path / 'latents')
    compress_dataset(ckpt, EMBEDDED_ROOT, root, size=(64, 64), workers=0)
    fly, fly_pipeline = _build(CRESNET_CFG, ckpt)
    pre, pre_pipeline = _build(PRE_CFG, ckpt, root)
    pre.backbone.load_state_dict(fly.backbone.backbone.state_dict())
    pre.head.load_state_dict(fly.head.state_dict())
    names = [line.split()[0]
             for line in open(f'{EMBEDDED_ROOT}/test.txt')][::97]
    for name in names:
        with DefaultScope.overwrite_default_scope('mmpretrain'):
            a = fly_pipeline(dict(img_path=f'{EMBEDDED_ROOT}/{name}'))
            b = pre_pipeline(dict(img_path=f'{root}/{name[:-4]}.cdi'))
        assert b['inputs'].shape == (4, 8,
                                     8) and b['data_samples'].ori_shape == (64,
                                                                            64)
        with torch.no_grad():
            logits_a = fly.test_step(default_collate([a]))[0].pred_score
            logits_b = pre.test_step(default_collate([b]))[0].pred_score
        assert torch.equal(logits_a, logits_b), name
