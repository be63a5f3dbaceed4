"""Register cdi_mm's components into mmpretrain's and mmseg's registries.

Configs name this module: ``custom_imports = dict(imports=['cdi_mm.openmmlab'],
allow_failed_imports=False)``. Importing it also makes mmengine load
checkpoints with ``torch.load(weights_only=True)``
(``cdi_mm.engine.safe_checkpoint``), and registers the CPU DDP wrapper and the
hooks (``cdi_mm.engine``).
"""
# imported for registration
from . import datasets, engine, evaluation, models  # noqa: F401
