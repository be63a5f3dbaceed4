import pytest
import torch
from mmpretrain.models.backbones import ResNet

from cdi_mm.models import PaperResNet, PaperSegResNet

TINY = dict(stem_channels=8, base_channels=4)
DILATED = dict(
    strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4), contract_dilation=True)


def test_resnet71_has_13_blocks_in_conv4_and_is_resnet50_elsewhere():
    r71, r50 = PaperResNet(depth=71, **TINY), PaperResNet(depth=50, **TINY)
    assert [
        len(r71.layer1),
        len(r71.layer2),
        len(r71.layer3),
        len(r71.layer4)
    ] == [3, 4, 13, 3]
    assert [
        len(r50.layer1),
        len(r50.layer2),
        len(r50.layer3),
        len(r50.layer4)
    ] == [3, 4, 6, 3]


def test_resnet71_d_is_dilated_at_output_stride_8():
    """ResNet-71-d, the paper's DeepLab baseline: 13 conv4_x blocks, strides
    (1, 2, 1, 1) and dilations (1, 1, 2, 4)."""
    model = PaperSegResNet(depth=71, out_indices=(2, 3), **DILATED, **TINY)
    model.eval()  # mmseg's ResNet.train() returns None
    assert len(model.layer3) == 13
    assert model.layer4[1].conv2.dilation == (4, 4)
    with torch.no_grad():
        c4, c5 = model(torch.rand(1, 3, 40, 56))
    assert c4.shape == (1, 4 * 4 * 4, 5, 7) and c5.shape == (1, 4 * 4 * 8, 5,
                                                             7)


@pytest.mark.parametrize('depth', [50, 71])
def test_dilated_resnet_loads_the_classifier_weights(depth):
    """The decoded-image classifier (mmpretrain) initialises the dilated
    segmentation backbone (mmseg): same parameter names and shapes."""
    classifier = PaperResNet(depth=depth, **TINY).state_dict()
    segmenter = PaperSegResNet(depth=depth, **DILATED, **TINY)
    segmenter.load_state_dict(classifier, strict=True)
    assert ResNet(depth=50, **TINY).state_dict().keys() == \
        PaperSegResNet(depth=50, **TINY).state_dict().keys()


def test_unknown_depth_is_refused():
    with pytest.raises(KeyError, match='invalid depth 72'):
        PaperSegResNet(depth=72)
