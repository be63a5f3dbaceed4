"""JointLossHook on stock mmpretrain models: loss values against a hand
computation, where the gradients go, frozen without the hook, real Runner and
2-process DDP runs."""
import copy
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from helpers import PYTHON, REPO, free_port, run_tool
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from cdi_mm.apis import load_codec
from cdi_mm.codecs import compress_images, decompress_image, pad_to_stride
from cdi_mm.engine import JointLossHook
from cdi_mm.safe_checkpoint import safe_load

TINY_JOINT = osp.join(REPO, 'tests', 'data', 'configs',
                      'tiny_joint_fashion_mnist.py')


def build_classifier(frozen):
    from mmpretrain.registry import MODELS
    cfg = Config.fromfile(TINY_JOINT)
    cfg.model.backbone.stem.frozen = frozen
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        torch.manual_seed(0)
        return MODELS.build(cfg.model)


def batch(model, n=4, size=32):
    from mmpretrain.structures import DataSample
    g = torch.Generator().manual_seed(1)
    images = torch.rand(n, 3, size, size, generator=g)
    samples = [DataSample().set_gt_label(i % 10) for i in range(n)]
    return images, samples


def test_loss_terms_match_hand_computation():
    model = build_classifier(frozen=False).train()
    images, samples = batch(model)
    hook = JointLossHook(gamma=0.5, beta=3.0, target_entropy=0.2)
    hook.attach(model)
    codec = model.backbone.stem.codec
    reference = copy.deepcopy(codec)  # the same forward, computed here by hand
    losses = model(images, samples, mode='loss')

    out = reference(pad_to_stride(images, codec.pad_multiple))
    mse = ((out['x_hat'] - images)**2).mean() * 255**2
    entropy = -torch.log2(out['likelihoods']['y']).mean()
    assert losses['loss_codec_distortion'].item() == pytest.approx(
        0.5 * mse.item(), rel=1e-5)
    assert losses['loss_codec_rate'].item() == pytest.approx(
        0.5 * 3.0 * mse.item() * max(entropy.item() - 0.2, 0), rel=1e-5)
    assert losses['entropy'].item() == pytest.approx(entropy.item(), rel=1e-5)
    assert losses['psnr'].item() == pytest.approx(
        10 * torch.log10(255**2 / mse).item(), rel=1e-5)
    assert losses['gamma'].item() == 0.5
    logits = model.head(model.neck(model.backbone(images)))
    labels = torch.tensor([s.gt_label.item() for s in samples])
    assert losses['loss'].item() == pytest.approx(
        F.cross_entropy(logits, labels).item(), rel=1e-5)

    hook.detach()
    assert set(model(images, samples, mode='loss')) == {'loss'}


def _grad_norm(module):
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    return sum(g.abs().sum().item() for g in grads)


def test_gradients_reach_codec_and_decoder_only_through_mse():
    model = build_classifier(frozen=False).train()
    images, samples = batch(model)
    JointLossHook(gamma=0.01).attach(model)
    codec = model.backbone.stem.codec
    losses = model(images, samples, mode='loss')
    losses['loss'].backward(retain_graph=True)  # the task loss alone
    assert _grad_norm(codec.g_a) > 0 and _grad_norm(codec.g_s) == 0
    losses['loss_codec_distortion'].backward()
    assert _grad_norm(
        codec.g_s) > 0 and codec.quantizer.centers.grad is not None


def test_hook_refuses_a_frozen_codec():
    with pytest.raises(ValueError, match='set frozen=False on the CodecStem'):
        JointLossHook().attach(build_classifier(frozen=True))


def test_gamma_warmup():
    hook = JointLossHook(gamma=2.0, warmup_iters=4)

    class FakeRunner:  # only the iteration counter is read
        iter = 0

    for it, expected in ((0, 0.5), (1, 1.0), (3, 2.0), (10, 2.0)):
        FakeRunner.iter = it
        hook.before_train_iter(FakeRunner, 0)
        assert hook.current_gamma == expected


def _train(tmp_path, frozen, hooks):
    cfg = Config.fromfile(TINY_JOINT)
    cfg.model.backbone.stem.frozen = frozen
    cfg.custom_hooks = hooks
    cfg.work_dir = str(tmp_path)
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    runner = Runner.from_cfg(cfg)
    before = {
        k: v.clone()
        for k, v in runner.model.backbone.stem.codec.state_dict().items()
    }
    runner.train()
    after = runner.model.backbone.stem.codec.state_dict()
    return before, after


def test_without_hook_frozen_codec_is_bit_identical(tmp_path):
    before, after = _train(
        tmp_path, frozen=True, hooks=[dict(type='RefreshCodingTablesHook')])
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_joint_two_process_ddp_trains_resumes_and_round_trips(tmp_path):
    work_dir = str(tmp_path / 'work')
    env = {'CUDA_VISIBLE_DEVICES': '', 'PYTHON': PYTHON, 'PORT': free_port()}
    run_tool([
        'bash', 'tools/dist_train.sh', TINY_JOINT, '2', '--work-dir', work_dir,
        '--cfg-options', 'default_hooks.checkpoint.interval=2'
    ],
             cwd=REPO,
             env=env)
    env['PORT'] = free_port()
    proc = run_tool([
        'bash', 'tools/dist_train.sh', TINY_JOINT, '2', '--work-dir', work_dir,
        '--resume', '--cfg-options', 'train_cfg.max_iters=6',
        'default_hooks.checkpoint.interval=2'
    ],
                    cwd=REPO,
                    env=env)
    log = proc.stdout + proc.stderr
    assert 'resumed epoch: 0, iter: 4' in log
    assert 'loss_codec_distortion' in log and 'bpp' in log and 'psnr' in log

    first, last = (
        safe_load(osp.join(work_dir, f'iter_{i}.pth')) for i in (2, 6))
    key = 'backbone.stem.codec.g_s.0.weight'
    key = next(k for k in last['state_dict']
               if k.startswith('backbone.stem.codec.g_s'))
    assert not torch.equal(first['state_dict'][key],
                           last['state_dict'][key])  # decoder learns

    codec = load_codec(
        osp.join(work_dir, 'iter_6.pth'), name='backbone.stem.codec')
    images = torch.rand(2, 3, 32, 40)
    with torch.no_grad():
        expected = codec.encode_latent(
            pad_to_stride(images, codec.pad_multiple))
    for i, data in enumerate(compress_images(codec, images)):
        assert torch.equal(decompress_image(codec, data).latent, expected[i])
