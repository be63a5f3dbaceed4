"""Registered MM model components."""
from .backbones import CResNet, PaperResNet, PaperSegResNet
from .codec_backbone import CodecBackbone
from .codec_model import CodecModel
from .codec_stem import CodecStem
from .decode_heads import ASPPV2Head

__all__ = [
    'ASPPV2Head', 'CResNet', 'CodecBackbone', 'CodecModel', 'CodecStem',
    'PaperResNet', 'PaperSegResNet'
]
