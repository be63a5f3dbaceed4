"""The one place that knows both OpenMMLab frameworks' registries.

Every cdi_mm component is registered into mmpretrain's *and* mmseg's registry
of the same kind, so that configs with ``default_scope='mmpretrain'`` or
``'mmseg'`` can name it by its plain type name. Components use the decorators
below instead of importing a framework registry themselves::

    from cdi_mm.registry import MODELS

    @MODELS.register_module()
    class CResNet(...):
        ...
"""
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmpretrain import registry as mmpretrain_registry
from mmseg import registry as mmseg_registry

__all__ = [
    'MODELS', 'TRANSFORMS', 'HOOKS', 'METRICS', 'DATASETS', 'LOOPS',
    'MODEL_WRAPPERS', 'SCOPES'
]

#: Scopes into which every component is registered.
SCOPES = ('mmpretrain', 'mmseg')


class _DualRegistry:
    """Registers a module into the registries of the same kind of both
    frameworks.

    Args:
        kind (str): Registry name shared by ``mmpretrain.registry`` and
            ``mmseg.registry``, e.g. ``'MODELS'``.
    """

    def __init__(self, kind: str):
        self.kind = kind
        self.targets = (getattr(mmpretrain_registry,
                                kind), getattr(mmseg_registry, kind))

    def register_module(self, name=None, force=False):
        """Decorator: register a class (or function) in both registries."""

        def _register(module):
            for registry in self.targets:
                registry.register_module(name=name, force=force, module=module)
            return module

        return _register


MODELS = _DualRegistry('MODELS')
TRANSFORMS = _DualRegistry('TRANSFORMS')
HOOKS = _DualRegistry('HOOKS')
METRICS = _DualRegistry('METRICS')
DATASETS = _DualRegistry('DATASETS')
LOOPS = _DualRegistry('LOOPS')
#: Model wrappers are looked up in mmengine's root registry by the Runner.
MODEL_WRAPPERS = MMENGINE_MODEL_WRAPPERS
