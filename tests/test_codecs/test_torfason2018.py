import hashlib
import subprocess
import sys

import pytest
import torch
from helpers import tiny_codec, warmed_up

from cdi_mm.codecs import (Torfason2018, build_codec, compress_images,
                           decompress_image, pad_to_stride, unpack)
from cdi_mm.codecs.quantizers import CentersQuantizer


@pytest.mark.parametrize('channels', [8, 16, 32])
def test_stride_8_latent_shape(channels):
    codec = tiny_codec(channels=channels).eval()
    out = codec(torch.rand(1, 3, 224, 224))
    assert out['y_hat'].shape == (1, channels, 28, 28)
    assert out['x_hat'].shape == (1, 3, 224, 224)
    assert 0 <= out['x_hat'].min() and out['x_hat'].max() <= 1


def test_paper_widths_build():
    codec = Torfason2018(channels=32)
    assert len(codec.g_a[6].groups) == 5 and len(codec.g_a[6].groups[0]) == 3
    assert codec.quantizer.num_centers == 6


def test_registered_in_compressai():
    from compressai.registry import MODELS
    assert MODELS['torfason2018'] is Torfason2018
    assert isinstance(
        build_codec(
            dict(
                type='torfason2018',
                channels=4,
                N=8,
                num_groups=1,
                blocks_per_group=1)), Torfason2018)
    with pytest.raises(KeyError, match="unknown codec type 'nope'"):
        build_codec(dict(type='nope'))


@pytest.mark.parametrize('quantizer', ['ste-centers', 'entropy-bottleneck'])
@pytest.mark.parametrize('size', [(32, 32), (37, 50), (64, 24)])
def test_exact_latent_round_trip(quantizer, size):
    codec = warmed_up(tiny_codec(quantizer))
    images = torch.rand(
        2, 3, *size, generator=torch.Generator().manual_seed(7))
    encoded = compress_images(codec, images)
    with torch.no_grad():
        expected = codec.encode_latent(pad_to_stride(images, 8))
    for i, data in enumerate(encoded):
        decoded = decompress_image(codec, data, reconstruct=True)
        assert torch.equal(decoded.latent, expected[i])
        assert decoded.image_size == size and decoded.image.shape == (3, *size)
        assert unpack(data).latent_shape == (8, -(-size[0] // 8),
                                             -(-size[1] // 8))


def test_centers_quantizer_straight_through():
    q = CentersQuantizer(channels=2, num_centers=4)
    q.centers.data = torch.tensor([-1.5, -0.5, 0.5, 1.5])
    y = torch.tensor([[[[-1.4, 0.2]], [[0.9, 3.0]]]], requires_grad=True)
    y_hat, likelihoods = q(y)
    assert y_hat.tolist() == [[[[-1.5, 0.5]], [[0.5, 1.5]]]]
    # each channel's histogram over its two elements: one hit each -> p = 1/2
    assert torch.allclose(likelihoods, torch.full_like(likelihoods, 0.5))
    (-torch.log2(likelihoods).sum() + y_hat.sum()).backward()
    assert y.grad is not None and q.centers.grad is not None
    assert torch.all(y.grad != 0)


def test_quantizer_errors():
    with pytest.raises(ValueError, match="unknown quantizer 'round'"):
        Torfason2018(channels=8, quantizer='round')
    codec = tiny_codec().eval()
    with pytest.raises(RuntimeError, match='call codec.update'):
        compress_images(codec, torch.rand(1, 3, 16, 16))
    with pytest.raises(
            ValueError, match=r'expected images of shape \(B, 3, H, W\)'):
        compress_images(warmed_up(codec), torch.rand(3, 16, 16))


def _train_on_photo(quantizer, steps=60):
    from skimage import data
    image = torch.from_numpy(data.astronaut()).permute(2, 0, 1).float() / 255
    image = torch.nn.functional.interpolate(
        image[None], size=(128, 128), mode='area')
    codec = tiny_codec(quantizer)
    codec.quantizer.momentum = 0.2 if quantizer == 'ste-centers' else 0
    optim = torch.optim.Adam(codec.parameters(), lr=3e-3)
    codec.train()
    for _ in range(steps):
        out = codec(image)
        bits = -torch.log2(out['likelihoods']['y']).sum() / image[0, 0].numel()
        mse = torch.mean((out['x_hat'] - image)**2)
        loss = 255**2 * mse / 100 + bits + codec.aux_loss()
        optim.zero_grad()
        loss.backward()
        optim.step()
    codec.eval()
    codec.update(force=True)
    return codec, image


@pytest.mark.parametrize('quantizer', ['ste-centers', 'entropy-bottleneck'])
def test_bpp_from_bytes_matches_estimate(quantizer):
    codec, image = _train_on_photo(quantizer)
    data = compress_images(codec, image, tile_side=None)[0]
    payload_bits = 8 * sum(len(s) for s in unpack(data).strings)
    # version 2 (tiled) costs at most a few per cent more
    tiled = compress_images(codec, image)[0]
    assert len(unpack(tiled).strings[0]) <= 1.03 * payload_bits / 8 + 16
    with torch.no_grad():
        y = codec.analysis(image)
        if quantizer == 'ste-centers':
            q = codec.quantizer
            # ideal code length under the coding table, which is what rANS
            # approximates
            cdf = q._quantized_cdf.double()
            probs = (cdf[:, 1:q.num_centers + 1] -
                     cdf[:, :q.num_centers]) / 2**16
            symbols = q.symbols(y)[0]
            estimate = -torch.log2(
                probs.gather(1, symbols.reshape(q.channels, -1))).sum()
        else:
            estimate = -torch.log2(codec.quantizer(y)[1]).sum()
    assert estimate > 100
    assert payload_bits == pytest.approx(estimate.item(), rel=0.05, abs=64)


_DETERMINISM_SCRIPT = """
import hashlib, sys, torch
sys.path.insert(0, 'tests')
from helpers import tiny_codec, warmed_up
from cdi_mm.codecs import compress_images
codec = warmed_up(tiny_codec())
images = torch.rand(2, 3, 48, 40, generator=torch.Generator().manual_seed(3))
print(hashlib.sha256(b''.join(compress_images(codec, images))).hexdigest())
"""


def test_bytes_deterministic_across_processes():
    from helpers import REPO
    digests = {
        subprocess.run([sys.executable, '-c', _DETERMINISM_SCRIPT],
                       cwd=REPO,
                       capture_output=True,
                       text=True,
                       check=True).stdout.strip().splitlines()[-1]
        for _ in range(2)
    }
    codec = warmed_up(tiny_codec())
    images = torch.rand(
        2, 3, 48, 40, generator=torch.Generator().manual_seed(3))
    here = hashlib.sha256(b''.join(compress_images(codec, images))).hexdigest()
    assert digests == {here}
