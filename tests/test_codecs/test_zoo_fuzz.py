"""Hostile ``.cdi`` files for the CompressAI zoo codecs: forged headers
carrying real fingerprints, short, empty, over-long and random payloads, wrong
stream counts. Only ``BitstreamError`` may come out, decoding is deterministic,
and nothing reads past the payload (the decoder is bounded,
:mod:`cdi_mm.codecs.rans`)."""
import pytest
import torch
from helpers import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from cdi_mm.codecs import (BitstreamError, CdiRecord, build_codec,
                           compress_images, decompress_image, latent_shape,
                           pack, unpack)
from cdi_mm.codecs.bitstream import serialise_unchecked

ZOO = ('bmshj2018-factorized', 'bmshj2018-hyperprior', 'mbt2018-mean')


@pytest.fixture(scope='module', params=ZOO)
def zoo(request):
    torch.manual_seed(0)
    codec = build_codec(
        dict(type='compressai-zoo', name=request.param, quality=1)).eval()
    valid = compress_images(codec, torch.rand(1, 3, 64, 64))[0]
    return codec, valid


def test_the_105_byte_forged_file_is_refused(zoo):
    """The reported attack: a valid CRC, a real fingerprint and a 16-byte
    payload that declares a 192x128x128 latent (it decoded memory past the
    buffer; 192x295x295 crashed the process)."""
    codec, valid = zoo
    record = unpack(valid)
    for side in (128, 295):
        h = w = side * codec.stride
        forged = serialise_unchecked(
            CdiRecord(record.fingerprint, latent_shape(codec, h, w), (h, w),
                      [bytes(range(16))] * codec.num_streams))
        with pytest.raises(
                BitstreamError, match='payload does not decode|bomb guard'):
            decompress_image(codec, forged)


def test_wrong_stream_count_is_refused(zoo):
    codec, valid = zoo
    record = unpack(valid)
    strings = record.strings + [b'x'] if len(
        record.strings) == 1 else record.strings[:1]
    forged = pack(
        CdiRecord(record.fingerprint, record.latent_shape, record.image_size,
                  strings))
    with pytest.raises(BitstreamError, match='streams'):
        decompress_image(codec, forged)


def test_forged_payloads_raise_only_bitstream_error(zoo):
    codec, valid = zoo
    record = unpack(valid)
    expected = decompress_image(codec, valid).latent

    @fuzz_settings(700)
    @given(
        side=st.integers(1, 40),
        which=st.integers(0, 1),
        payload=st.binary(max_size=600),
        mode=st.sampled_from(
            ['random', 'empty', 'short', 'long', 'junk', 'valid']))
    def forged(side, which, payload, mode):
        strings = list(record.strings)
        k = which % len(strings)
        size = (side * codec.pad_multiple, ) * 2
        shape = latent_shape(codec, *size)
        if mode == 'valid':
            size, shape = record.image_size, record.latent_shape
        elif mode != 'random':
            size, shape = record.image_size, record.latent_shape
            strings[k] = {
                'empty': b'',
                'short': strings[k][:len(strings[k]) // 2],
                'long': strings[k] + payload + bytes(4),
                'junk': strings[k] + b'junk'
            }[mode]
        else:
            strings[k] = payload
        data = pack(CdiRecord(record.fingerprint, shape, size, strings))
        try:
            first = decompress_image(codec, data).latent
        except BitstreamError:
            assert mode != 'valid'
            return
        assert torch.equal(first,
                           decompress_image(codec,
                                            data).latent)  # deterministic
        if mode == 'valid':
            assert torch.equal(first, expected)

    forged()
