"""Segmentation decode heads (mmseg)."""
from .aspp_v2_head import ASPPV2Head
from .subpixel_aspp_v2_head import SubPixelASPPV2Head

__all__ = ['ASPPV2Head', 'SubPixelASPPV2Head']
