"""DistributedDataParallel that also runs on CPU-only machines (gloo)."""
from mmengine.model import MMDistributedDataParallel

from cdi_mm.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class DeviceAgnosticDDP(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that drops ``device_ids`` when the module
    is on CPU.

    mmengine's Runner always passes ``device_ids=[LOCAL_RANK]``, which DDP
    rejects for CPU modules. ``tools/train.py`` selects this wrapper when no
    GPU is present.

    Args:
        module (nn.Module): The model to wrap.
        device_ids (list[int], optional): Used only when the module is on a
            GPU.
        **kwargs: Passed to :class:`MMDistributedDataParallel`.
    """

    def __init__(self, module, device_ids=None, **kwargs):
        on_cpu = all(p.device.type == 'cpu' for p in module.parameters())
        super().__init__(
            module=module, device_ids=None if on_cpu else device_ids, **kwargs)
