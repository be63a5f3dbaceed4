import pytest
from mmengine.registry import DefaultScope

from cdi_mm.codecs import Torfason2018
from cdi_mm.evaluation.complexity import codec_complexity, task_complexity

# Torfason et al. 2018, Table 1 (GFLOPs at 224x224)
PAPER = [(dict(type='PaperResNet', depth=50), 2048, 3.86),
         (dict(type='PaperResNet', depth=71), 2048, 5.38),
         (dict(type='CResNet', depth=39, in_channels=32), 2048, 2.95),
         (dict(type='CResNet', depth=51, in_channels=32), 2048, 3.83),
         (dict(type='CResNet', depth=72, in_channels=32), 2048, 5.36)]


def _classifier(backbone, channels):
    from mmpretrain.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return MODELS.build(
            dict(
                type='ImageClassifier',
                backbone=backbone,
                neck=dict(type='GlobalAveragePooling'),
                head=dict(
                    type='LinearClsHead',
                    num_classes=1000,
                    in_channels=channels)))


@pytest.mark.parametrize('backbone,channels,gflops', PAPER)
def test_task_flops_match_paper_table(backbone, channels, gflops):
    result = task_complexity(_classifier(backbone, channels), (224, 224))
    assert result['paper_gflops'] == pytest.approx(gflops, rel=0.02)
    # mmengine's count of the network as configured (pytorch-style blocks) is
    # higher
    assert result['flops'] / 1e9 > result['paper_gflops']
    expected_input = (3, 224,
                      224) if backbone['type'] == 'PaperResNet' else (32, 28,
                                                                      28)
    assert result['input_shape'] == expected_input


def test_codec_flops_scale_with_image_area():
    codec = Torfason2018(channels=8, N=16, num_groups=1, blocks_per_group=1)
    small, large = codec_complexity(codec, (64, 64)), codec_complexity(
        codec, (128, 128))
    assert large['encoder_flops'] == pytest.approx(
        4 * small['encoder_flops'], rel=0.01)
    assert small['encoder_params'] == sum(p.numel()
                                          for p in codec.g_a.parameters())
    assert small['decoder_flops'] > 0
