"""The paper's inference paths side by side, built from their configs (what
``tools/analysis_tools/benchmark.py`` times): ``.cdi`` -> cResNet-51 (A),
``.cdi`` -> synthesis -> ResNet-50 (B), JPEG -> ResNet-50 (C), and the
segmenters; with the photo crops and tensors they run on. In ``apis`` because
the paths are built with :func:`init_model`."""
import copy
import io
import os.path as osp

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from PIL import Image

from cdi_mm.codecs import (codec_fingerprint, compress_images, decode_symbols,
                           decompress_image, tiled_coder)
from cdi_mm.evaluation.complexity import count_flops
from cdi_mm.evaluation.pillow_reference import quality_at_bpp
from .config_codec import set_codec_checkpoint
from .inference import init_model

__all__ = [
    'PAPER_CONFIGS', 'InferencePaths', 'LatentStem', 'TensorForward',
    'build_model', 'crops', 'png_bytes', 'to_tensor'
]

#: The configs of the paper's paths at paper widths, relative to the
#: repository: the codec (C=32), the classifiers and the VOC segmenters.
PAPER_CONFIGS = dict(
    codec='configs/codec/torfason2018_c32_ste_1xb30-300k_in1k.py',
    cls_latent='configs/cresnet/cresnet51_c32_8xb32_in1k.py',
    cls_decoded='configs/resnet_decoded/resnet50_c32-decoded_8xb32_in1k.py',
    seg_latent='configs/deeplab/'
    'deeplabv3_cresnet51-d8_c32_4xb4-20k_voc12aug-512x512.py',
    seg_decoded='configs/deeplab/'
    'deeplabv3_r50-d8_c32-decoded_4xb4-20k_voc12aug-512x512.py')


def crops(photos, size, count, seed=0):
    """``count`` size x size RGB crops (photos smaller than ``size`` are
    upscaled)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        image = Image.fromarray(photos[i % len(photos)])
        scale = size / min(image.size)
        if scale > 1:
            image = image.resize((round(image.width * scale) + 1,
                                  round(image.height * scale) + 1),
                                 Image.BICUBIC)
        x = rng.integers(0, image.width - size + 1)
        y = rng.integers(0, image.height - size + 1)
        out.append(np.asarray(image.crop((x, y, x + size, y + size))))
    return out


def to_tensor(arrays):
    """``(H, W, 3)`` uint8 arrays -> ``(B, 3, H, W)`` in [0, 1]."""
    return torch.from_numpy(np.stack(arrays)).permute(0, 3, 1,
                                                      2).float().div_(255)


def png_bytes(arrays):
    out = []
    for array in arrays:
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, format='PNG')
        out.append(buffer.getvalue())
    return out


class LatentStem(nn.Module):
    """Stands in for a model's ``CodecStem`` on latents that are already
    entropy decoded: passes them on (a latent model) or runs the codec's
    synthesis (a decoded-image model), as the stem would after its encoder.

    Args:
        stem (CodecStem): The stem it replaces.
    """

    def __init__(self, stem):
        super().__init__()
        self.codec, self.output = stem.codec, stem.output

    def forward(self, y_hat):
        return y_hat if self.output == 'latent' else self.codec.synthesis(
            y_hat)


def build_model(config, codec_checkpoint, stem=LatentStem):
    """``init_model`` of the config file ``config`` with ``codec_checkpoint``
    as its codec and its codec stem replaced by ``stem(codec stem)``."""
    cfg = Config.fromfile(config)
    set_codec_checkpoint(cfg, codec_checkpoint)
    model = init_model(cfg)
    model.backbone.stem = stem(model.backbone.stem)
    return model.eval()


class TensorForward(nn.Module):
    """``model(x, mode='tensor')``: logits of a classifier, stride-8 class
    scores of a segmenter (for the FLOP counter)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x, mode='tensor')


class InferencePaths:
    """The paper's inference paths from encoded images, as callables on lists
    of ``.cdi`` bytes or JPEG bytes (Torfason et al. 2018, Sec. 5): A, the
    cResNet-51 on the entropy-decoded latent; B, the codec's synthesis then
    ResNet-50; C, Pillow's JPEG decoding then the same ResNet-50; and the two
    DeepLab segmenters on the latent and on the decoded image.

    Args:
        codec_checkpoint (str): The codec every model and every ``.cdi`` uses.
        config_root (str): The folder holding ``configs/`` (the repository).
        segmentation (bool): Build the two segmenters too.
    """

    def __init__(self, codec_checkpoint, config_root, segmentation=True):

        def build(name):
            return build_model(
                osp.join(config_root, PAPER_CONFIGS[name]), codec_checkpoint)

        self.cresnet = build('cls_latent')
        self.decoded_resnet = build('cls_decoded')
        self.resnet = copy.deepcopy(self.decoded_resnet)
        self.resnet.backbone.stem = nn.Identity()  # RGB in [0, 1], as decoded
        self.codec = self.cresnet.backbone.stem.codec
        self.fingerprint = codec_fingerprint(self.codec)
        self.coder = tiled_coder(self.codec)
        if segmentation:
            self.seg_cresnet = build('seg_latent')
            self.seg_decoded_resnet = build('seg_decoded')

    def entropy_decode(self, cdi):
        return torch.stack([
            decompress_image(self.codec, d,
                             fingerprint=self.fingerprint).latent for d in cdi
        ])

    def entropy_decode_symbols(self, cdi):
        return [
            decode_symbols(
                self.codec, d, fingerprint=self.fingerprint,
                coder=self.coder)[0] for d in cdi
        ]

    @staticmethod
    def jpeg_decode(jpegs):
        return to_tensor([
            np.asarray(Image.open(io.BytesIO(d)).convert('RGB')) for d in jpegs
        ])

    def cdi_to_cresnet(self, cdi):
        """A: entropy decoding -> cResNet-51 logits."""
        return self.cresnet(self.entropy_decode(cdi), mode='tensor')

    def cdi_to_decoded_resnet(self, cdi):
        """B: entropy decoding -> synthesis -> ResNet-50 logits."""
        return self.decoded_resnet(self.entropy_decode(cdi), mode='tensor')

    def jpeg_to_resnet(self, jpegs):
        """C: Pillow JPEG decoding -> ResNet-50 logits."""
        return self.resnet(self.jpeg_decode(jpegs), mode='tensor')

    def classification(self):
        """``(report key, callable, which input)`` of A, B, C."""
        return (('A', self.cdi_to_cresnet,
                 'cdi'), ('B', self.cdi_to_decoded_resnet, 'cdi'),
                ('C', self.jpeg_to_resnet, 'jpeg'))

    def segment(self, model, cdi, size):
        scores = model(self.entropy_decode(cdi), mode='tensor')
        return F.interpolate(scores, size=size, mode='bilinear')

    def growth_inputs(self, photos, size):
        """One crop of ``size`` as ``.cdi`` and as JPEG at the same bpp (the
        inputs of A, B, C by kind)."""
        big = crops(photos, size, 1, seed=size)
        data = dict(cdi=compress_images(self.codec, to_tensor(big)))
        _, data['jpeg'] = quality_at_bpp(big,
                                         8 * len(data['cdi'][0]) / size**2)
        return data

    def gflops(self, seg_size):
        """Multiply-adds (G, mmengine's count) of each path's networks on one
        image: classification at 224x224, segmentation at ``seg_size`` (B
        includes the codec's synthesis transform); ``*_backbone``: without the
        head."""
        c, cls, seg = self.codec.latent_channels, 224 // 8, seg_size // 8
        cases = dict(
            cls_A=(TensorForward(self.cresnet), (c, cls, cls)),
            cls_B=(TensorForward(self.decoded_resnet), (c, cls, cls)),
            cls_C=(TensorForward(self.resnet), (3, 224, 224)),
            seg_A=(TensorForward(self.seg_cresnet), (c, seg, seg)),
            seg_B=(TensorForward(self.seg_decoded_resnet), (c, seg, seg)),
            seg_A_backbone=(self.seg_cresnet.backbone, (c, seg, seg)),
            seg_B_backbone=(self.seg_decoded_resnet.backbone, (c, seg, seg)))
        return {
            key: count_flops(module, shape)[0] / 1e9
            for key, (module, shape) in cases.items()
        }
