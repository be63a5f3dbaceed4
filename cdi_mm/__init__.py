"""cdi_mm: image understanding from deep compression without decoding, for OpenMMLab.

``import cdi_mm`` (or ``custom_imports=dict(imports=['cdi_mm'])`` in a config) registers
every component into mmpretrain's and mmseg's registries and makes mmengine load
checkpoints with ``torch.load(weights_only=True)``.
"""
from .version import __version__
from . import engine  # noqa: F401  (safe checkpoint loading, CPU DDP wrapper, hooks)
from . import datasets, evaluation, models  # noqa: F401  (registration)

__all__ = ['__version__']
