"""Remember which codec made a model's inputs; refuse to evaluate on another codec's."""
from mmengine.hooks import Hook

from cdi_mm.codecs import codec_fingerprint
from cdi_mm.registry import HOOKS
from .coding_tables_hook import find_codecs

__all__ = ['CodecMismatchError', 'CodecProvenanceHook', 'input_codec_fingerprints']


class CodecMismatchError(ValueError):
    """A model is evaluated on latents (or decoded images) of a codec it was not trained
    with."""


def _latent_loaders(dataset):
    """The ``LoadLatentFromFile`` transforms of ``dataset`` (wrappers unwrapped)."""
    for inner in getattr(dataset, 'datasets', None) or [getattr(dataset, 'dataset', None)]:
        if inner is not None:
            yield from _latent_loaders(inner)
    pipeline = getattr(dataset, 'pipeline', None)
    for transform in getattr(pipeline, 'transforms', []):
        if type(transform).__name__ == 'LoadLatentFromFile':
            yield transform


def input_codec_fingerprints(model, dataset):
    """Fingerprints of every codec that feeds ``model`` on ``dataset``: the codecs
    inside the model (stems) and those of ``LoadLatentFromFile`` in the pipeline."""
    fingerprints = {codec_fingerprint(codec) for _, codec in find_codecs(model)}
    fingerprints.update(codec_fingerprint(t.codec) for t in _latent_loaders(dataset))
    return fingerprints


@HOOKS.register_module()
class CodecProvenanceHook(Hook):
    """Each checkpoint records, in ``meta['input_codecs']``, the fingerprints of the
    codecs that made the training inputs (a :class:`CodecStem` in the model or the
    ``LoadLatentFromFile`` of the training pipeline). Before validation and testing the
    codecs feeding the evaluation data are checked against the loaded checkpoint's
    record (or, while training, against the training inputs): evaluating cResNet
    weights on the latents of another codec raises :class:`CodecMismatchError` instead
    of producing numbers.

    Checkpoints without a record (e.g. from stock tools) are evaluated unchecked.
    """

    priority = 'LOW'  # after RefreshCodingTablesHook, so fingerprints are final

    def __init__(self):
        self._trained_with = None
        self._source = None

    def before_save_checkpoint(self, runner, checkpoint):
        checkpoint['meta']['input_codecs'] = sorted(
            input_codec_fingerprints(runner.model, runner.train_dataloader.dataset))

    def after_load_checkpoint(self, runner, checkpoint):
        meta = checkpoint.get('meta') or {}
        recorded = meta.get('input_codecs')
        if recorded is None and meta.get('codecs'):  # a codec-stem model's record
            recorded = [c['fingerprint'] for c in meta['codecs'].values()]
        if recorded:
            self._trained_with = set(recorded)
            self._source = 'the loaded checkpoint'

    def before_train(self, runner):
        if self._trained_with is None:
            self._trained_with = input_codec_fingerprints(runner.model,
                                                          runner.train_dataloader.dataset)
            self._source = 'the training data'

    def _check(self, runner, dataloader, mode):
        if not self._trained_with:
            return
        given = input_codec_fingerprints(runner.model, dataloader.dataset)
        foreign = sorted(given - self._trained_with)
        if foreign:
            raise CodecMismatchError(
                f'the {mode} inputs come from codec(s) {foreign}, but the model was '
                f'trained on inputs of {sorted(self._trained_with)} (recorded in '
                f'{self._source}); encode the {mode} data with the codec the model was '
                'trained with, or evaluate a model trained on these latents')

    def before_val_epoch(self, runner):
        self._check(runner, runner.val_dataloader, 'val')

    def before_test_epoch(self, runner):
        self._check(runner, runner.test_dataloader, 'test')
