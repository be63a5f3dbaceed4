import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import cdi_mm.openmmlab  # noqa: F401  (registers the head)
from cdi_mm.models import ASPPV2Head


def build(**kwargs):
    cfg = dict(
        type='ASPPV2Head',
        in_channels=8,
        in_index=0,
        num_classes=5,
        dropout_ratio=0.0,
        dilations=(1, 2, 3))
    cfg.update(kwargs)
    with DefaultScope.overwrite_default_scope('mmseg'):
        head = MODELS.build(cfg)
    head.init_weights()
    return head.eval()


def test_scores_are_the_sum_of_dilated_convolutions():
    head = build()
    x = torch.randn(2, 8, 9, 11)
    expected = sum(
        F.conv2d(x, conv.weight, conv.bias, padding=d, dilation=d)
        for conv, d in zip(head.aspp_convs, (1, 2, 3)))
    out = head([x])
    assert out.shape == (2, 5, 9, 11)
    assert torch.allclose(out, expected, atol=1e-6)
    # DeepLab-v2: convolutions only, no bottleneck, normalisation or image
    # pooling
    assert {type(m)
            for m in head.modules()} - {ASPPV2Head, nn.ModuleList} <= {
                nn.Conv2d, type(head.loss_decode)
            }
    assert not hasattr(head, 'conv_seg')


def test_a_rate_beyond_the_feature_map_is_a_centre_tap():
    head = build(dilations=(12, ))
    x = torch.randn(1, 8, 6, 6)
    conv = head.aspp_convs[0]
    centre = F.conv2d(x, conv.weight[:, :, 1:2, 1:2], conv.bias)
    assert torch.allclose(head([x]), centre, atol=1e-6)


def test_trains_with_mmseg_losses():
    head = build(dilations=(6, 12, 18, 24), channels=512).train()
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.randint(0, 5, (1, 32, 32)))
    sample.set_metainfo(dict(img_shape=(32, 32)))
    losses = head.loss([torch.randn(1, 8, 4, 4)], [sample], train_cfg=None)
    losses['loss_ce'].backward()
    assert all(conv.weight.grad is not None for conv in head.aspp_convs)


@pytest.mark.parametrize('dilations', [(), (0, 6), (1.5, )])
def test_bad_rates_are_refused(dilations):
    with pytest.raises(
            ValueError, match='dilations must be positive integers'):
        ASPPV2Head(in_channels=8, num_classes=5, dilations=dilations)
