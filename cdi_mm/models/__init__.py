"""Registered MM model components."""
from .backbones import CResNet, PaperResNet, PaperSegResNet
from .codec_backbone import CodecBackbone
from .codec_model import CodecModel
from .codec_stem import CodecStem
from .decode_heads import ASPPV2Head
from .distillation_loss import DistillationKLLoss
from .heads import ReusedTeacherClsHead
from .latent_data_preprocessor import (LatentClsDataPreprocessor,
                                       dequantize_inputs)
from .teachers import EfficientNetLiteTeacher

__all__ = [
    'ASPPV2Head', 'CResNet', 'CodecBackbone', 'CodecModel', 'CodecStem',
    'DistillationKLLoss', 'EfficientNetLiteTeacher',
    'LatentClsDataPreprocessor', 'PaperResNet', 'PaperSegResNet',
    'ReusedTeacherClsHead', 'dequantize_inputs'
]
