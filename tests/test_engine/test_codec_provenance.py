"""A task checkpoint remembers the codec of its inputs; evaluating it on the
latents of another codec fails with a clear error (real Runner, real
pre-encoded config)."""
import pytest
import torch
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


def test_backbone_initialised_from_a_checkpoint_must_fit_and_share_codec(
        tmp_path, two_codecs_two_latent_sets):
    """A backbone with ``init_cfg=dict(type='Pretrained', ...)`` (e.g. the
    distilled student, issue #36) trains from the checkpoint's (float16)
    weights on latents of the codec the checkpoint records; another codec or
    weights that do not fit the backbone are refused before the first
    iteration (mmengine itself would only warn)."""
    (ckpt_a, root_a, fp_a), (ckpt_b, root_b, fp_b) = (
        two_codecs_two_latent_sets[k] for k in 'ab')
    source = Runner.from_cfg(
        latent_classifier_cfg(tmp_path / 'source', ckpt_a, root_a))
    weights = {
        f'backbone.{k}': v.half() if v.is_floating_point() else v
        for k, v in source.model.backbone.state_dict().items()
    }

    def runner_from(name, state, root=root_a, codec=ckpt_a):
        path = str(tmp_path / f'{name}.pth')
        torch.save({
            'meta': {
                'input_codecs': [fp_a]
            },
            'state_dict': state
        }, path)
        init = dict(type='Pretrained', checkpoint=path, prefix='backbone')
        return Runner.from_cfg(
            latent_classifier_cfg(
                tmp_path / name,
                codec,
                root,
                model=dict(backbone=dict(init_cfg=init)),
                optim_wrapper=dict(optimizer=dict(lr=0.0))))

    runner = runner_from('fits', weights)
    runner.train()  # lr 0: the weights stay the checkpoint's
    conv = runner.model.backbone.state_dict()['layer1.0.conv2.weight']
    assert conv.dtype == torch.float32
    assert torch.equal(conv, weights['backbone.layer1.0.conv2.weight'].float())

    with pytest.raises(
            CodecMismatchError,
            match=rf"training inputs come from codec\(s\) \['{fp_b}'\].*"
            r'fits\.pth, which initialises backbone'):
        runner_from('fits', weights, root_b, ckpt_b).train()

    misfit = dict(weights)
    first = 'backbone.layer1.0.conv1.weight'  # in_channels = C
    misfit[first] = misfit[first][:, :4]
    del misfit['backbone.layer1.0.bn1.bias']
    with pytest.raises(
            ValueError,
            match=r'misfit\.pth .*does not fit backbone \(CResNet\): missing '
            r'layer1\.0\.bn1\.bias; layer1\.0\.conv1\.weight: '
            r'\(\d+, 4, 1, 1\) in the checkpoint.*in_channels.*'
            r'drop its init_cfg'):
        runner_from('misfit', misfit).train()
