"""A task checkpoint remembers the codec of its inputs; evaluating it on the
latents of another codec fails with a clear error (real Runner, real
pre-encoded config)."""
import pytest
from helpers import latent_classifier_cfg
from mmengine.runner import Runner

from cdi_mm.apis import set_codec_checkpoint
from cdi_mm.engine import CodecMismatchError
from cdi_mm.safe_checkpoint import safe_load


def test_checkpoint_records_and_enforces_input_codec(
        tmp_path, two_codecs_two_latent_sets):
    (ckpt_a, root_a, fp_a), (ckpt_b, root_b, fp_b) = (
        two_codecs_two_latent_sets[k] for k in 'ab')
    Runner.from_cfg(latent_classifier_cfg(tmp_path / 'train', ckpt_a,
                                          root_a)).train()
    trained = str(tmp_path / 'train' / 'iter_2.pth')
    assert safe_load(trained)['meta']['input_codecs'] == [fp_a]

    metrics = Runner.from_cfg(
        latent_classifier_cfg(
            tmp_path / 'ok', ckpt_a, root_a, load_from=trained)).test()
    assert 'accuracy/top1' in metrics

    runner = Runner.from_cfg(
        latent_classifier_cfg(
            tmp_path / 'bad', ckpt_b, root_b, load_from=trained))
    with pytest.raises(
            CodecMismatchError,
            match=rf"test inputs come from codec\(s\) \['{fp_b}'\]"
            rf".*trained on inputs of \['{fp_a}'\].*loaded checkpoint"):
        runner.test()


def test_validation_during_training_on_other_codec_refused(
        tmp_path, two_codecs_two_latent_sets):
    (ckpt_a, root_a, fp_a), (ckpt_b, root_b, _) = (
        two_codecs_two_latent_sets[k] for k in 'ab')
    cfg = latent_classifier_cfg(tmp_path, ckpt_a, root_a)
    set_codec_checkpoint(cfg.val_dataloader, ckpt_b)
    cfg.val_dataloader.dataset.data_root = root_b
    with pytest.raises(
            CodecMismatchError, match='recorded in the training data'):
        Runner.from_cfg(cfg).train()
