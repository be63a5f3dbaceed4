"""Task-network and codec complexity with mmengine's FLOP counter.

Two numbers per network:

* ``flops``: mmengine's count (multiply-adds of every op, BN included) of the
  network exactly as configured;
* ``paper_gflops``: the convention of Torfason et al. 2018 (and of the ResNet
  paper's 3.8 GFLOPs): multiply-adds of convolutions and fully connected layers
  only, for the original ResNet block with the stride on the first 1x1
  convolution (mmpretrain's ``style='caffe'``). It reproduces the paper's
  ResNet-50 3.86, ResNet-71 5.38, cResNet-39 2.95, cResNet-51 3.83 and
  cResNet-72 5.36 GFLOPs at 224x224 to within 0.5%; mmengine's count of the
  default ``style='pytorch'`` blocks (stride on the 3x3 convolution) is 6%
  higher for ResNet-50 (4.11).
"""
import copy

import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer

__all__ = ['codec_complexity', 'count_flops', 'task_complexity']

_PAPER_OPS = ('conv', 'linear', 'addmm', 'matmul')


class _Logits(nn.Module):
    """backbone -> neck -> head logits of an mmpretrain ``ImageClassifier``."""

    def __init__(self, classifier, backbone):
        super().__init__()
        self.backbone = backbone
        self.neck, self.head = classifier.neck, classifier.head

    def forward(self, x):
        feats = self.backbone(x)
        if self.neck is not None:
            feats = self.neck(feats)
        return self.head(feats)


def count_flops(module, shape):
    """mmengine FLOPs, parameters and paper-convention FLOPs of ``module`` (put
    in eval mode) on one zero input of ``shape`` (without the batch
    dimension)."""
    module.eval()
    analyzer = FlopAnalyzer(module, torch.zeros(1, *shape))
    analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    by_op = analyzer.by_operator()
    params = sum(p.numel() for p in module.parameters())
    return analyzer.total(), params, sum(by_op.get(op, 0) for op in _PAPER_OPS)


def _caffe_style(backbone):
    """A copy of a ResNet-family backbone with the stride on the first 1x1
    conv."""
    from mmpretrain.models.backbones.resnet import Bottleneck
    backbone = copy.deepcopy(backbone)
    for block in backbone.modules():
        if isinstance(block, Bottleneck) and block.conv2.stride != (1, 1):
            block.conv1.stride, block.conv2.stride = block.conv2.stride, (1, 1)
    return backbone


def task_complexity(classifier, image_size=(224, 224)):
    """FLOPs and parameters of the task network of an mmpretrain classifier at
    ``image_size``: the part after the codec stem, fed the latent (or the
    decoded image).

    Returns:
        dict: ``input_shape``, ``flops``, ``params``, ``paper_gflops``.
    """
    backbone = classifier.backbone
    stem = getattr(backbone, 'stem', None)
    task_backbone = getattr(backbone, 'backbone', backbone)
    height, width = image_size
    if stem is not None and stem.output == 'latent':
        shape = (stem.latent_channels, -(-height // stem.stride),
                 -(-width // stem.stride))
    elif getattr(task_backbone, 'in_channels', 3) != 3:
        stride = 8
        shape = (task_backbone.in_channels, -(-height // stride),
                 -(-width // stride))
    else:
        shape = (3, height, width)
    flops, params, _ = count_flops(_Logits(classifier, task_backbone), shape)
    _, _, paper = count_flops(
        _Logits(classifier, _caffe_style(task_backbone)), shape)
    return dict(
        input_shape=shape,
        flops=flops,
        params=params,
        paper_gflops=paper / 1e9)


class _Transform(nn.Module):
    """Runs one of a codec's transforms (``'analysis'`` or ``'synthesis'``)."""

    def __init__(self, codec, name):
        super().__init__()
        self.codec, self.name = codec, name

    def forward(self, x):
        return getattr(self.codec, self.name)(x)


def _transform_flops(codec, name, shape):
    analyzer = FlopAnalyzer(
        _Transform(codec, name).eval(), torch.zeros(1, *shape))
    analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    return analyzer.total()


def codec_complexity(codec, image_size=(224, 224)):
    """mmengine FLOPs and parameters of a torfason2018 codec's encoder (g_a)
    and decoder (g_s) for an image of ``image_size``."""
    height, width = image_size
    latent = (codec.latent_channels, -(-height // codec.stride),
              -(-width // codec.stride))
    return dict(
        encoder_flops=_transform_flops(codec, 'analysis', (3, height, width)),
        encoder_params=sum(p.numel() for p in codec.g_a.parameters()),
        decoder_flops=_transform_flops(codec, 'synthesis', latent),
        decoder_params=sum(p.numel() for p in codec.g_s.parameters()))
