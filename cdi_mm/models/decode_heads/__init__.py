"""Segmentation decode heads (mmseg)."""
from .aspp_v2_head import ASPPV2Head

__all__ = ['ASPPV2Head']
