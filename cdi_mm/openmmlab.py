"""Register cdi_mm's components into mmpretrain's and mmseg's registries.

Configs name this module: ``custom_imports = dict(imports=['cdi_mm.openmmlab'],
allow_failed_imports=False)``. Importing it also makes mmengine load checkpoints with
``torch.load(weights_only=True)`` (``cdi_mm.engine.safe_checkpoint``).
"""
from . import engine  # noqa: F401  (safe checkpoint loading, CPU DDP wrapper, hooks)
from . import datasets, evaluation, models  # noqa: F401  (registration)
