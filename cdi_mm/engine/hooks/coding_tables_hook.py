"""Keep a codec's entropy-coding tables in step with its weights."""
from mmengine.hooks import Hook

from cdi_mm.codecs import codec_fingerprint
from cdi_mm.registry import HOOKS
from ..provenance import find_codecs

__all__ = ['RefreshCodingTablesHook']

_TABLE_KEYS = ('_quantized_cdf', '_cdf_length', '_offset')


@HOOKS.register_module()
class RefreshCodingTablesHook(Hook):
    """Rebuild every codec's rANS tables before validation, testing and each
    checkpoint, so that ``compress``/``decompress`` stay exact after training
    changed the weights or the symbol statistics. Each checkpoint also records,
    in ``meta['codecs']``, how to rebuild every codec (its plain config) and
    its fingerprint, so that a latent made by another codec can be refused
    later.
    """

    priority = 'ABOVE_NORMAL'

    def _refresh(self, runner):
        for _, codec in find_codecs(runner.model):
            codec.update(force=True)

    def before_val_epoch(self, runner):
        self._refresh(runner)

    def before_test_epoch(self, runner):
        self._refresh(runner)

    def before_save_checkpoint(self, runner, checkpoint):
        codecs = find_codecs(runner.model)
        for name, codec in codecs:
            codec.update(force=True)
            # the state dict was taken before this hook: put the fresh tables
            # in
            checkpoint['state_dict'].update({
                (f'{name}.{k}' if name else k):
                v.cpu()
                for k, v in codec.state_dict().items()
                if k.rsplit('.', 1)[-1] in _TABLE_KEYS
            })
        checkpoint['meta']['codecs'] = {
            name:
            dict(
                cfg=getattr(codec, 'build_cfg', None),
                fingerprint=codec_fingerprint(codec))
            for name, codec in codecs
        }
