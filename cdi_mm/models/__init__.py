"""Registered MM model components."""
from .backbones import CResNet, PaperResNet, PaperSegResNet
from .codec_backbone import CodecBackbone
from .codec_model import CodecModel
from .codec_stem import CodecStem

__all__ = ['CResNet', 'CodecBackbone', 'CodecModel', 'CodecStem', 'PaperResNet',
           'PaperSegResNet']
