"""Hostile ``.cdi`` input: random, mutated, truncated and forged files (valid
CRC and fingerprint, garbage payload, so they reach the rANS decoder). The only
exception that may come out of the reader and of ``LoadLatentFromFile`` is
``BitstreamError``; no crash, hang or huge allocation. 2,600 cases,
derandomized so that CI is reproducible."""
import pytest
import torch
from helpers import fuzz_settings, save_codec_checkpoint, tiny_codec, warmed_up
from hypothesis import given
from hypothesis import strategies as st

from cdi_mm.codecs import (BitstreamError, CdiRecord, decompress_image, pack,
                           unpack)
from cdi_mm.codecs.coding import compress_images, latent_shape
from cdi_mm.datasets import LoadLatentFromFile, LoadLatentSymbols

CODECS = {
    q: warmed_up(tiny_codec(quantizer=q))
    for q in ('ste-centers', 'entropy-bottleneck')
}
VALID = {
    q:
    compress_images(
        c,
        torch.rand(1, 3, 40, 48,
                   generator=torch.Generator().manual_seed(0)))[0]
    for q, c in CODECS.items()
}


def decode_or_bitstream_error(codec, data):
    """Decode ``data``; return None when it is refused with a
    BitstreamError."""
    try:
        return decompress_image(codec, data)
    except BitstreamError:
        return None


def check_plausible(codec, decoded):
    c, h, w = latent_shape(codec, *decoded.image_size)
    assert decoded.latent.shape == (c, h, w)
    assert torch.isfinite(decoded.latent).all()
    if hasattr(codec.quantizer, 'centers'):
        assert torch.isin(decoded.latent,
                          codec.quantizer.centers.detach()).all()


@fuzz_settings(500)
@given(st.binary(max_size=600))
def test_random_bytes(data):
    assert decode_or_bitstream_error(CODECS['ste-centers'], data) is None


@fuzz_settings(700)
@given(
    quantizer=st.sampled_from(sorted(CODECS)),
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
    cut=st.integers(0, 10_000),
    insert=st.binary(max_size=8))
def test_mutated_and_truncated(quantizer, edits, cut, insert):
    codec, valid = CODECS[quantizer], VALID[quantizer]
    data = bytearray(valid)
    for pos, value in edits:
        data[pos % len(data)] = value
    data = bytes(data[:cut % (len(data) + 1)]) + insert
    decoded = decode_or_bitstream_error(codec, data)
    # only a no-op mutation may decode, to the original latent
    if decoded is not None:
        assert data == valid
        assert torch.equal(decoded.latent,
                           decompress_image(codec, valid).latent)


@pytest.mark.parametrize('quantizer', sorted(CODECS))
def test_forged_payloads_with_valid_crc(quantizer):
    codec = CODECS[quantizer]
    fingerprint = unpack(VALID[quantizer]).fingerprint

    @fuzz_settings(400)
    @given(
        height=st.integers(1, 256),
        width=st.integers(1, 256),
        payload=st.binary(max_size=2_000))
    def forged(height, width, payload):
        record = CdiRecord(fingerprint, latent_shape(codec, height, width),
                           (height, width), [payload])
        decoded = decode_or_bitstream_error(codec, pack(record))
        if decoded is not None:
            check_plausible(codec, decoded)

    forged()


@pytest.fixture(scope='module')
def codec_checkpoint(tmp_path_factory):
    ckpt = str(tmp_path_factory.mktemp('codec') / 'codec.pth')
    save_codec_checkpoint(ckpt)
    return ckpt


# (transform, tile side of the files, examples): the float loader on version-1
# files, the symbol loader (crop 3x4, flips) on version-2 files
LOADERS = {
    'float-v1':
    (lambda ckpt: LoadLatentFromFile(codec_checkpoint=ckpt), None, 300),
    'symbols-v2': (lambda ckpt: LoadLatentSymbols(
        (3, 4), flip_prob=0.5, codec_checkpoint=ckpt), 2, 400),
}


@pytest.mark.parametrize('kind', sorted(LOADERS))
def test_load_latent_transforms_on_hostile_files(codec_checkpoint, kind,
                                                 tmp_path):
    make, tile_side, examples = LOADERS[kind]
    loader = make(codec_checkpoint)
    codec = loader.codec_for(None)[0]
    valid = compress_images(
        codec, torch.rand(1, 3, 24, 32), tile_side=tile_side)[0]
    path = tmp_path / 'x.cdi'

    @fuzz_settings(examples)
    @given(
        edits=st.lists(
            st.tuples(st.integers(0, 10_000), st.integers(0, 255)),
            min_size=1,
            max_size=3),
        payload=st.none() | st.binary(max_size=500))
    def hostile(edits, payload):
        data = bytearray(valid)
        for pos, value in edits:
            data[pos % len(data)] = value
        # a forged payload behind a valid header and CRC
        if payload is not None:
            record = unpack(valid)
            data = pack(
                CdiRecord(record.fingerprint, record.latent_shape,
                          record.image_size, [payload], record.tile_side))
        path.write_bytes(bytes(data))
        try:
            results = loader(dict(img_path=str(path)))
        except BitstreamError:
            return
        assert tuple(results['img'].shape) in ((3, 4, codec.latent_channels),
                                               (codec.latent_channels, 3, 4))

    hostile()


def test_entropy_bottleneck_escape_symbols_round_trip():
    """Values beyond the learned range are escape-coded by CompressAI; the
    memory-safe decoder still returns them exactly."""
    quantizer = CODECS['entropy-bottleneck'].quantizer
    y = torch.randn(1, 8, 5, 6, generator=torch.Generator().manual_seed(0))
    y[0, 0, 0, 0], y[0, 3, 2, 1] = 500.0, -321.0
    strings = quantizer.compress(y)
    expected = quantizer.entropy_bottleneck.decompress(strings, (5, 6))
    decoded = quantizer.decompress(strings, (5, 6))
    assert torch.equal(decoded, expected)
    assert decoded[0, 0, 0, 0] == 500 and decoded[0, 3, 2, 1] == -321
