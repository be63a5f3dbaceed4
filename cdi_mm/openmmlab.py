"""Register cdi_mm's components into mmpretrain's and mmseg's registries.

Configs name this module: ``custom_imports = dict(imports=['cdi_mm.openmmlab'],
allow_failed_imports=False)``. Importing it registers the data sets and
transforms, models, CPU DDP wrapper, hooks and metrics, and makes mmengine load
checkpoints weights-only (:func:`cdi_mm.safe_checkpoint.
install_safe_checkpoint_loader`).
"""
# imported for registration
from . import datasets, engine, evaluation, models  # noqa: F401
from .safe_checkpoint import install_safe_checkpoint_loader

install_safe_checkpoint_loader()
