"""cdi_mm: image understanding from deep compression without decoding, for
OpenMMLab.

``import cdi_mm`` (and ``import cdi_mm.codecs``, the CompressAI side) imports
no OpenMMLab package. ``import cdi_mm.openmmlab`` (or
``custom_imports=dict(imports=['cdi_mm.openmmlab'])`` in a config) registers
every component into mmpretrain's and mmseg's registries and makes mmengine
load checkpoints with ``torch.load(weights_only=True)``; importing any of
``cdi_mm.models``, ``cdi_mm.datasets``, ``cdi_mm.engine``,
``cdi_mm.evaluation`` or ``cdi_mm.apis`` registers what it holds.
"""
import warnings

from .version import __version__

# CompressAI imports torch_geometric, whose import calls the deprecated
# torch.jit.script: without this every tool starts with two FutureWarnings
# that are not about cdi_mm
warnings.filterwarnings(
    'ignore',
    message=r'`torch\.jit\.script` is deprecated',
    category=FutureWarning,
    module=r'torch\.jit\._script')

__all__ = ['__version__']
