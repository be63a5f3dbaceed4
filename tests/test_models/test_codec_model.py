import pytest
import torch
from helpers import REPO
from mmengine.config import Config
from mmengine.runner import Runner

from cdi_mm.apis import load_codec
from cdi_mm.codecs import codec_fingerprint, compress_images, decompress_image
from cdi_mm.models import CodecModel

CODEC_CFG = f'{REPO}/configs/codec/torfason2018-n32_c8_ste_1xb32-600_fashion-mnist.py'  # noqa: E501
TINY = dict(
    type='torfason2018', channels=4, N=8, num_groups=1, blocks_per_group=1)


def test_ste_loss_matches_hand_computation():
    torch.manual_seed(0)
    model = CodecModel(codec=TINY, beta=3.0, target_entropy=0.1)
    x = torch.rand(2, 3, 16, 16)
    losses = model.loss(x)
    torch.manual_seed(0)
    again = CodecModel(codec=TINY, beta=3.0, target_entropy=0.1)
    out = again.codec(x)
    entropy = -torch.log2(out['likelihoods']['y']).mean()
    mse = torch.mean((out['x_hat'] - x)**2) * 255**2
    assert losses['loss_distortion'].item() == pytest.approx(
        mse.item(), rel=1e-5)
    assert losses['entropy'].item() == pytest.approx(entropy.item(), rel=1e-5)
    assert losses['loss_rate'].item() == pytest.approx(
        3.0 * mse.item() * (entropy.item() - 0.1), rel=1e-5)
    assert losses['bpp'].item() == pytest.approx(
        entropy.item() * 4 / 64, rel=1e-5)
    assert 'loss_aux' not in losses
    model.zero_grad()
    (losses['loss_distortion'] + losses['loss_rate']).backward()
    assert model.codec.quantizer.centers.grad is not None


def test_rate_term_is_hinged():
    model = CodecModel(codec=TINY, beta=3.0, target_entropy=100.0)
    assert model.loss(torch.rand(1, 3, 16, 16))['loss_rate'].item() == 0.0


def test_rate_term_is_independent_of_the_distortion_scale():
    """The rate term scales with the (detached) distortion: the ratio of the
    two terms, and so the trade-off beta sets, does not depend on how large the
    MSE is."""
    torch.manual_seed(0)
    model = CodecModel(codec=TINY, beta=3.0, target_entropy=0.1)
    x = torch.rand(2, 3, 16, 16)
    losses = model.loss(x)
    ratio = losses['loss_rate'] / losses['loss_distortion']
    assert ratio.item() == pytest.approx(
        3.0 * (losses['entropy'].item() - 0.1), rel=1e-5)
    model.zero_grad()
    losses['loss_rate'].backward()
    assert all(
        p.grad is None or p.grad.abs().sum() == 0 for p in
        model.codec.g_s.parameters())  # no gradient through the MSE factor


@pytest.mark.parametrize('target', [0.5, 1.0])
def test_rate_term_holds_the_entropy_at_its_target(target):
    """A tiny ste-centers codec trained on photo crops: with the paper's beta =
    10 the entropy falls from ~2.2 bits to H_t and does not drift above it (a
    rate term not weighted by the MSE left it near 1.9 bits whatever H_t was).
    The hinge is one-sided: below H_t only the distortion pulls H up, slowly,
    so the lower tolerance is wider."""
    from skimage import data
    torch.manual_seed(0)
    photos = torch.stack([
        torch.from_numpy(image[:256, :256]).permute(2, 0, 1).float() / 255
        for image in (data.astronaut(), data.coffee(), data.chelsea(),
                      data.rocket())
    ])
    model = CodecModel(
        codec=dict(TINY, channels=8, N=16), beta=10.0, target_entropy=target)
    optimizer = torch.optim.Adam(model.parameters(), 1e-3)
    entropies = []
    for _ in range(300):
        i, j = torch.randint(0, 256 - 32, (2, )).tolist()
        losses = model.loss(photos[:2, :, i:i + 32, j:j + 32])
        optimizer.zero_grad()
        (losses['loss_distortion'] + losses['loss_rate']).backward()
        optimizer.step()
        entropies.append(losses['entropy'].item())
    late = sum(entropies[-100:]) / 100
    assert entropies[0] > target + 1.0
    assert target - 0.5 < late < target + 0.15, late


def test_entropy_bottleneck_loss_has_aux():
    model = CodecModel(
        codec=dict(TINY, quantizer='entropy-bottleneck'), lmbda=2.0)
    losses = model.loss(torch.rand(1, 3, 16, 16))
    assert losses['loss_rate'].item() == pytest.approx(
        2.0 * losses['bpp'].item(), rel=1e-5)
    assert losses['loss_aux'].requires_grad


def test_codec_trains_with_runner_and_reports_real_bpp(tmp_path):
    cfg = Config.fromfile(CODEC_CFG)
    cfg.work_dir = str(tmp_path)
    cfg.model.codec.update(N=8, channels=4)
    cfg.img_size = 32
    for loader in (cfg.train_dataloader, cfg.val_dataloader,
                   cfg.test_dataloader):
        for t in loader.dataset.pipeline:
            if t.type == 'Resize':
                t.scale = (32, 32)
    cfg.train_dataloader.batch_size = 4
    cfg.val_dataloader.dataset.indices = 20
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg = dict(by_epoch=False, max_iters=3, val_interval=3)
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', by_epoch=False, interval=3)
    cfg.param_scheduler = []
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    assert set(metrics) == {'rd/bpp', 'rd/psnr', 'rd/ms_ssim'}

    # bpp is exactly 8 x real .cdi bytes / pixels of the 20 test images
    codec = runner.model.codec.eval()
    total_bytes = 0
    for batch in runner.test_dataloader:
        x = runner.model.data_preprocessor(batch)['inputs']
        total_bytes += sum(len(d) for d in compress_images(codec, x))
    assert metrics['rd/bpp'] == pytest.approx(8 * total_bytes / (20 * 32 * 32))
    assert 0 < metrics['rd/ms_ssim'] <= 1 and metrics['rd/psnr'] > 5

    # the checkpoint describes its codec; the reloaded codec decodes the same
    # bytes
    loaded = load_codec(str(tmp_path / 'iter_3.pth'))
    assert codec_fingerprint(loaded) == codec_fingerprint(codec)
    x = torch.rand(1, 3, 32, 32)
    data = compress_images(codec, x)[0]
    assert torch.equal(
        decompress_image(loaded, data).latent,
        decompress_image(codec, data).latent)


def test_rate_control_moves_lambda_towards_the_target_bpp():
    """Dual ascent on log lambda: up while the training bpp is above the
    target, down below it; the multiplier is a buffer (saved and resumed with
    the model)."""
    codec = dict(type='factorized-prior-s8', channels=4, N=8)
    x = torch.rand(2, 3, 16, 16)
    for target, direction in ((1e-3, 1), (1e3, -1)):
        model = CodecModel(
            codec=codec, lmbda=10.0, target_bpp=target, rate_control_step=0.1)
        losses = model.loss(x)
        assert losses['lmbda'].item() == pytest.approx(10.0)
        assert direction * (model.lmbda - 10.0) > 0
        assert 'log_lmbda' in model.state_dict()
    model.eval()
    before = model.lmbda
    model.loss(x)
    assert model.lmbda == before  # frozen outside training


def test_rate_control_needs_the_entropy_bottleneck():
    with pytest.raises(ValueError, match='entropy-bottleneck'):
        CodecModel(codec=TINY, target_bpp=0.5)
