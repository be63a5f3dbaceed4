import pytest
import torch

from cdi_mm.models import CResNet


@pytest.mark.parametrize('depth,blocks', [(39, (4, 6, 3)), (51, (4, 10, 3)),
                                          (72, (4, 17, 3))])
@pytest.mark.parametrize('channels', [8, 16, 32])
def test_cresnet_shapes(depth, blocks, channels):
    model = CResNet(
        depth=depth,
        in_channels=channels,
        base_channels=4,
        out_indices=(0, 1, 2)).eval()
    assert tuple(len(getattr(model, name))
                 for name in model.res_layers) == blocks
    with torch.no_grad():
        outs = model(torch.rand(2, channels, 28, 28))
    assert [tuple(o.shape) for o in outs] == [(2, 16, 28, 28), (2, 32, 14, 14),
                                              (2, 64, 7, 7)]


def test_cresnet_paper_widths():
    model = CResNet(depth=51, in_channels=32).eval()
    with torch.no_grad():
        out = model(torch.rand(1, 32, 28, 28))[-1]
    assert out.shape == (1, 2048, 7, 7)
    assert model.layer1[0].conv1.in_channels == 32


def test_cresnet_dilated_keeps_latent_resolution():
    model = CResNet(
        depth=39,
        in_channels=8,
        base_channels=4,
        strides=(1, 1, 1),
        dilations=(1, 2, 4),
        out_indices=(1, 2)).eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 8, 47, 63))
    assert [tuple(o.shape[2:]) for o in outs] == [(47, 63), (47, 63)]
    assert model.layer3[1].conv2.dilation == (4, 4)


def test_cresnet_frozen_stages():
    model = CResNet(depth=39, in_channels=8, base_channels=4, frozen_stages=2)
    model.train()
    assert not any(p.requires_grad for p in model.layer1.parameters())
    assert not any(p.requires_grad for p in model.layer2.parameters())
    assert all(p.requires_grad for p in model.layer3.parameters())
    assert not model.layer2.training and model.layer3.training


def test_cresnet_bad_arguments():
    with pytest.raises(KeyError, match='invalid depth 50 for CResNet'):
        CResNet(depth=50)
    with pytest.raises(TypeError, match='no root block'):
        CResNet(depth=39, deep_stem=True)
    with pytest.raises(ValueError, match='3 stages'):
        CResNet(depth=39, strides=(1, 2, 2, 2))
    model = CResNet(depth=39, in_channels=16, base_channels=4)
    with pytest.raises(
            ValueError, match='expects a latent with 16 channels, got 32'):
        model(torch.rand(1, 32, 28, 28))
