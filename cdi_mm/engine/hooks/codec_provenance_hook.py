"""Remember which codec made a model's inputs; refuse to evaluate on another
codec's."""
from mmengine.hooks import Hook

from cdi_mm.registry import HOOKS
from ..provenance import (check_init_checkpoints, check_input_codecs,
                          input_codec_fingerprints, recorded_input_codecs)

__all__ = ['CodecProvenanceHook']


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

    Before training, a checkpoint that initialises part of the model
    (``init_cfg``, e.g. a distilled backbone) must fit it exactly and record
    the training data's codecs.

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
        check_init_checkpoints(
            runner.model,
            input_codec_fingerprints(runner.model,
                                     runner.train_dataloader.dataset))

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
