"""Frozen pretrained teachers for knowledge distillation."""
from .efficientnet_lite_teacher import (TEACHER_VARIANTS,
                                        EfficientNetLiteTeacher)

__all__ = ['EfficientNetLiteTeacher', 'TEACHER_VARIANTS']
