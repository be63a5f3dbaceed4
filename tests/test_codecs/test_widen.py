"""Net2Net widening of a codec's latent (C=4 -> C=8): same reconstruction,
cheap new channels, and refusal of a different design."""
import pytest
import torch

from cdi_mm.codecs import FactorizedPriorStride8, widen_latent_channels


@pytest.fixture
def trained_like():
    torch.manual_seed(0)
    src = FactorizedPriorStride8(channels=4, N=8)
    with torch.no_grad(
    ):  # a "quiet" channel 2: peaked density, as training leaves it
        src.quantizer.entropy_bottleneck.quantiles[2] = torch.tensor(
            [[-0.1, 0.0, 0.1]])
    return src.eval()


def test_widened_codec_reconstructs_as_the_source(trained_like):
    dst = FactorizedPriorStride8(channels=8, N=8).eval()
    widened = widen_latent_channels(trained_like, dst, template_channel=2)
    assert {
        'g_a.4.weight', 'g_a.4.bias', 'g_s.0.weight',
        'quantizer.entropy_bottleneck.quantiles'
    } <= set(widened)
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        y = dst.analysis(x)
        assert torch.equal(y[:, :4], trained_like.analysis(x))
        y_hat = torch.round(4 * y)
        assert y_hat[:,
                     4:].abs().sum() > 0  # values on the new channels: ignored
        assert torch.allclose(
            dst.synthesis(y_hat), trained_like.synthesis(y_hat[:, :4]))
    eb_src = trained_like.quantizer.entropy_bottleneck
    eb_dst = dst.quantizer.entropy_bottleneck
    assert torch.equal(eb_dst.quantiles[:4], eb_src.quantiles)
    assert torch.equal(eb_dst.quantiles[4:],
                       eb_src.quantiles[2:3].expand(4, 1, 3))
    assert torch.equal(eb_dst.matrices[0][4:],
                       eb_src.matrices[0][2:3].expand(4, -1, -1))


def test_widened_codec_codes_to_bytes(trained_like):
    dst = FactorizedPriorStride8(channels=8, N=8)
    widen_latent_channels(trained_like, dst, template_channel=2)
    dst.update(force=True)
    dst.eval()
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        out = dst.compress(x)
        y_hat = dst.decompress_latent(out['strings'], out['shape'])
        assert y_hat.shape == (1, 8, 4, 4)
        assert torch.equal(y_hat, dst.encode_latent(x))


def test_a_different_design_is_refused(trained_like):
    with pytest.raises(ValueError, match='only the latent channels may grow'):
        widen_latent_channels(trained_like,
                              FactorizedPriorStride8(channels=8, N=16))
    with pytest.raises(ValueError, match='only the latent channels may grow'):
        widen_latent_channels(
            FactorizedPriorStride8(channels=8, N=8), trained_like)


def test_widen_codec_tool(tmp_path, trained_like):
    from helpers import PYTHON, REPO, run_tool

    from cdi_mm.codecs import codec_checkpoint_dict
    trained_like.update(force=True)
    torch.save(
        codec_checkpoint_dict(
            trained_like,
            cfg=dict(type='factorized-prior-s8', channels=4, N=8)),
        tmp_path / 'c4.pth')
    (tmp_path / 'c8.py').write_text(
        "model = dict(codec=dict(type='factorized-prior-s8', channels=8, "
        "N=8))\n")
    out = run_tool([
        PYTHON, 'tools/model_converters/widen_codec.py',
        str(tmp_path / 'c4.pth'),
        str(tmp_path / 'c8.py'),
        str(tmp_path / 'c8_init.pth')
    ], REPO).stdout
    # the quiet channel of the fixture
    assert 'entropy model of channel 2' in out
    state = torch.load(
        tmp_path / 'c8_init.pth', weights_only=True)['state_dict']
    assert state['codec.g_a.4.weight'].shape[0] == 8
    assert torch.equal(state['codec.g_a.4.weight'][:4],
                       trained_like.g_a[4].weight)
    assert not state['codec.g_s.0.weight'][4:].any()
