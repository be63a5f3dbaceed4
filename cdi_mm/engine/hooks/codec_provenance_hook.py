"""Remember which codec made a model's inputs; refuse to evaluate on another
codec's."""
from mmengine.hooks import Hook

from cdi_mm.codecs import codec_fingerprint
from cdi_mm.datasets import LoadLatentFromFile
from cdi_mm.registry import HOOKS
from .coding_tables_hook import find_codecs

__all__ = [
    'CodecMismatchError', 'CodecProvenanceHook', 'check_input_codecs',
    'input_codec_fingerprints', 'recorded_input_codecs'
]


class CodecMismatchError(ValueError):
    """A model is evaluated on latents (or decoded images) of a codec it was
    not trained with."""


def _latent_codecs(dataset):
    """The codecs the ``LoadLatentFromFile`` transforms of ``dataset``
    (wrappers unwrapped) decode its files with (the first file decides, as
    every file's fingerprint is checked when it is loaded)."""
    for inner in getattr(dataset, 'datasets',
                         None) or [getattr(dataset, 'dataset', None)]:
        if inner is not None:
            yield from _latent_codecs(inner)
    pipeline = getattr(dataset, 'pipeline', None)
    for transform in getattr(pipeline, 'transforms', []):
        if isinstance(transform, LoadLatentFromFile) and len(dataset):
            yield transform.codec_for(dataset.get_data_info(0)['img_path'])[0]


def input_codec_fingerprints(model, dataset, with_model=True):
    """Fingerprints of the codecs that feed ``model`` on ``dataset``: those of
    ``LoadLatentFromFile`` in the pipeline and, with ``with_model``, the codecs
    inside the model (stems)."""
    fingerprints = {
        codec_fingerprint(codec)
        for codec in _latent_codecs(dataset)
    }
    if with_model:
        fingerprints.update(
            codec_fingerprint(codec) for _, codec in find_codecs(model))
    return fingerprints


def recorded_input_codecs(checkpoint):
    """The input-codec fingerprints a task checkpoint records
    (``meta['input_codecs']``, or the codecs inside a codec-stem model), or
    None."""
    meta = checkpoint.get('meta') or {}
    recorded = meta.get('input_codecs')
    if recorded is None and meta.get('codecs'):
        recorded = [c['fingerprint'] for c in meta['codecs'].values()]
    return set(recorded) if recorded else None


def check_input_codecs(given, expected, what, source):
    """Raise :class:`CodecMismatchError` if a codec in ``given`` is not in
    ``expected`` (nothing is checked when ``expected`` is None)."""
    foreign = sorted(set(given) - set(expected or given))
    if foreign:
        raise CodecMismatchError(
            f'the {what} come from codec(s) {foreign}, but the model was '
            f'trained on inputs of {sorted(expected)} (recorded in {source}); '
            'encode the data with the codec the model was trained with, or '
            'use a model trained on these latents')


@HOOKS.register_module()
class CodecProvenanceHook(Hook):
    """Each checkpoint records, in ``meta['input_codecs']``, the fingerprints
    of the codecs that made the training inputs (a :class:`CodecStem` in the
    model or the ``LoadLatentFromFile`` of the training pipeline). Before
    validation and testing the ``LoadLatentFromFile`` codecs of the evaluation
    data are checked against the loaded checkpoint's record (or, while
    training, against the current training inputs): evaluating cResNet weights
    on the latents of another codec raises :class:`CodecMismatchError` instead
    of producing numbers.

    Checkpoints without a record (e.g. from stock tools) are evaluated
    unchecked.
    """

    # after RefreshCodingTablesHook, so fingerprints are final
    priority = 'LOW'

    def __init__(self):
        self._recorded = None
        self._training = False

    def before_save_checkpoint(self, runner, checkpoint):
        checkpoint['meta']['input_codecs'] = sorted(
            input_codec_fingerprints(runner.model,
                                     runner.train_dataloader.dataset))

    def after_load_checkpoint(self, runner, checkpoint):
        self._recorded = recorded_input_codecs(checkpoint)

    def before_train(self, runner):
        self._training = True

    def after_train(self, runner):
        self._training = False

    def _check(self, runner, dataloader, mode):
        """Codecs inside the model always match it (they are part of its
        weights); the codecs of the evaluation pipeline must be among those of
        the training inputs: the current ones while training (a joint run
        changes its codec), else the loaded checkpoint's record."""
        given = input_codec_fingerprints(
            runner.model, dataloader.dataset, with_model=False)
        if self._training:
            expected = input_codec_fingerprints(
                runner.model, runner.train_dataloader.dataset)
            source = 'the training data'
        else:
            expected, source = self._recorded, 'the loaded checkpoint'
        check_input_codecs(given, expected, f'{mode} inputs', source)

    def before_val_epoch(self, runner):
        self._check(runner, runner.val_dataloader, 'val')

    def before_test_epoch(self, runner):
        self._check(runner, runner.test_dataloader, 'test')
