"""Registered MM model components."""
from .backbones import CResNet
from .codec_model import CodecModel

__all__ = ['CResNet', 'CodecModel']
