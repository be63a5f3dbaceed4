"""The stride-8 GDN codec: the cResNets' latent geometry, exact round trips
through real bytes, both quantizers, weights-only checkpoints."""
import pytest
import torch

from cdi_mm.codecs import (FactorizedPriorStride8, build_codec,
                           codec_fingerprint, compress_images,
                           decompress_image, pad_to_stride)


def tiny(quantizer='entropy-bottleneck', channels=4):
    torch.manual_seed(0)
    codec = build_codec(
        dict(
            type='factorized-prior-s8',
            channels=channels,
            N=8,
            quantizer=quantizer))
    codec.train()
    codec(torch.rand(2, 3, 32,
                     32))  # ste-centers: a histogram to build tables from
    return codec.eval()


def test_latent_geometry_is_the_papers():
    codec = tiny(channels=8)
    assert isinstance(codec, FactorizedPriorStride8) and codec.stride == 8
    with torch.no_grad():
        assert codec.encode_latent(torch.rand(1, 3, 224,
                                              224)).shape == (1, 8, 28, 28)
        assert codec(torch.rand(1, 3, 64, 48))['x_hat'].shape == (1, 3, 64, 48)


@pytest.mark.parametrize('quantizer', ['entropy-bottleneck', 'ste-centers'])
def test_exact_round_trip_through_bytes(quantizer):
    codec = tiny(quantizer)
    codec.update(force=True)
    images = torch.rand(2, 3, 45, 38)
    files = compress_images(codec, images)
    with torch.no_grad():
        expected = codec.encode_latent(pad_to_stride(images, 8))
    for i, data in enumerate(files):
        decoded = decompress_image(codec, data, reconstruct=True)
        assert torch.equal(decoded.latent, expected[i])
        assert decoded.image.shape == (3, 45, 38)
    assert codec_fingerprint(codec).startswith(
        f'factorized-prior-s8:c4:{quantizer}:')


def test_weights_only_checkpoint_rebuilds_the_same_codec(tmp_path):
    codec = tiny()
    codec.update(force=True)
    path = tmp_path / 'codec.pth'
    torch.save(codec.state_dict(), path)
    again = build_codec(dict(type='factorized-prior-s8', channels=4, N=8))
    again.load_state_dict(torch.load(path, weights_only=True))
    again.eval()
    assert codec_fingerprint(again) == codec_fingerprint(codec)
    data = compress_images(codec, torch.rand(1, 3, 16, 16))[0]
    assert torch.equal(
        decompress_image(again, data).latent,
        decompress_image(codec, data).latent)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='N must be positive'):
        FactorizedPriorStride8(channels=4, N=0)
    with pytest.raises(ValueError, match='channels must be positive'):
        FactorizedPriorStride8(channels=0)
