"""``.cdi`` version 2: tiled rANS streams, exact against version 1, crops and
flips in the decoder, transcoding from symbols, and the header's checks."""
import numpy as np
import pytest
import torch
from helpers import tiny_codec, warmed_up

from cdi_mm.codecs import (PAD_SYMBOL, BitstreamError, CdiRecord,
                           SymbolDequantizer, TiledStreamError, _tiled_rans,
                           compress_images, decode_symbols, decompress_image,
                           pack, tiled_coder, transcode_to_v2, unpack)
from cdi_mm.codecs.bitstream import MAX_TILE_SYMBOLS

CODECS = {
    q: warmed_up(tiny_codec(quantizer=q))
    for q in ('ste-centers', 'entropy-bottleneck')
}
QUANTIZERS = sorted(CODECS)


@pytest.fixture(params=['avx2', 'scalar'])
def decoder(request):
    """Both tile decoders: the AVX2 one (where the CPU has AVX2) and the
    scalar one."""
    previous = _tiled_rans.set_simd(request.param == 'avx2')
    yield request.param
    _tiled_rans.set_simd(previous)


def images(height, width, seed=0):
    return torch.rand(
        2, 3, height, width, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize('quantizer', QUANTIZERS)
@pytest.mark.parametrize('tile_side', ['auto', 1, 2, 3, 5, 64])
def test_v2_latent_equals_v1_symbol_for_symbol(quantizer, tile_side, decoder):
    codec = CODECS[quantizer]
    batch = images(72, 88)  # latent 9 x 11: edge tiles for every side but 1
    v1 = compress_images(codec, batch, tile_side=None)
    v2 = compress_images(codec, batch, tile_side=tile_side)
    for old, new in zip(v1, v2):
        assert unpack(old).version == 1 and unpack(new).version == 2
        record = unpack(new)
        assert record.latent_shape == unpack(old).latent_shape
        assert record.tile_side == (tile_side if tile_side != 'auto' else
                                    record.tile_side) > 0
        expected = codec.decode_symbols([[unpack(old).strings[0]]],
                                        (9, 11))[0].numpy()
        assert np.array_equal(decode_symbols(codec, new)[0], expected)
        assert torch.equal(
            decompress_image(codec, new).latent,
            decompress_image(codec, old).latent)
        # the latent the codec computes: the bitstream is exact
    assert torch.equal(
        torch.stack([decompress_image(codec, d).latent for d in v2]),
        codec.encode_latent(batch))


@pytest.mark.parametrize('quantizer', QUANTIZERS)
def test_transcoding_gives_the_bytes_of_direct_v2_encoding(quantizer):
    codec = CODECS[quantizer]
    batch = images(40, 56, seed=1)
    for side in ('auto', 2):
        direct = compress_images(codec, batch, tile_side=side)
        v1 = compress_images(codec, batch, tile_side=None)
        assert [transcode_to_v2(codec, d, side) for d in v1] == direct
        # version 2 in, version 2 out, untouched
        assert transcode_to_v2(codec, direct[0], side) == direct[0]


def test_windows_and_flips_decode_only_what_they_cover(decoder):
    codec = CODECS['ste-centers']
    data = compress_images(codec, images(72, 88), tile_side=4)[0]
    full = decode_symbols(codec, data)[0]
    rng = np.random.default_rng(0)
    for _ in range(40):
        y0, x0 = rng.integers(0, 9), rng.integers(0, 11)
        wh, ww = rng.integers(1, 10 - y0), rng.integers(1, 12 - x0)
        out_hw = (wh + rng.integers(0, 3), ww + rng.integers(0, 3))
        flip = bool(rng.integers(0, 2))
        got, _ = decode_symbols(codec, data, (y0, x0, wh, ww), flip, out_hw)
        expected = np.full((8, *out_hw), PAD_SYMBOL, np.int16)
        expected[:, :wh, :ww] = full[:, y0:y0 + wh, x0:x0 + ww]
        if flip:
            expected = expected[:, :, ::-1]
        assert np.array_equal(got, expected)
    with pytest.raises(BitstreamError, match='crop window'):
        decode_symbols(codec, data, (5, 5, 5, 5))


def test_escaped_values_round_trip_and_alphabet_is_enforced(decoder):
    eb = CODECS['entropy-bottleneck']
    coder = tiled_coder(eb)
    values = np.zeros((8, 5, 6), np.int32)
    values[0, 0, 0], values[3, 2, 1], values[7, 4, 5] = 500, -321, 32767
    for side in (2, 6):
        blob = coder.encode(values, side)
        assert np.array_equal(coder.decode(blob, (8, 5, 6), side), values)
    fingerprint = unpack(compress_images(eb, images(40, 48))[0]).fingerprint
    values[1, 1, 1] = -40000  # codes, but no int16 holds it
    with pytest.raises(BitstreamError, match='alphabet'):
        decode_symbols(
            eb,
            pack(
                CdiRecord(fingerprint, (8, 5, 6), (40, 48),
                          [coder.encode(values, 2)], 2)))
    centres = tiled_coder(CODECS['ste-centers'])
    beyond = np.full((8, 3, 3), centres.value_range[1] + 1, np.int32)
    with pytest.raises(TiledStreamError, match='alphabet'):
        centres.decode(centres.encode(beyond, 3), (8, 3, 3), 3)


def test_dequantizer_maps_symbols_and_padding():
    centres = SymbolDequantizer('centers', (-1.5, 0.25, 2.0))
    symbols = torch.tensor([[[0, 2], [1, PAD_SYMBOL]]], dtype=torch.int16)
    assert centres(symbols).tolist() == [[[-1.5, 2.0], [0.25, 0.0]]]
    offsets = SymbolDequantizer('offsets', (0.5, -1.0))
    batch = torch.tensor([[[[3]], [[PAD_SYMBOL]]]], dtype=torch.int16)
    assert offsets(batch).flatten().tolist() == [3.5, 0.0]


@pytest.mark.parametrize('quantizer', QUANTIZERS)
def test_dequantizer_gives_the_codec_latent(quantizer):
    codec = CODECS[quantizer]
    data = compress_images(codec, images(40, 48))[0]
    symbols = torch.from_numpy(decode_symbols(codec, data)[0])
    assert torch.equal(
        tiled_coder(codec).dequantizer(symbols),
        decompress_image(codec, data).latent)


def test_header_checks_of_version_2():
    codec = CODECS['ste-centers']
    data = compress_images(codec, images(40, 48), tile_side=2)[0]
    record = unpack(data)
    assert (record.version, record.tile_side) == (2, 2)
    with pytest.raises(BitstreamError, match='version 3'):
        body = bytearray(data)
        body[4] = 3
        unpack(bytes(body))
    with pytest.raises(BitstreamError, match='tile side'):
        pack(
            CdiRecord(record.fingerprint, (8, 5, 6), (40, 48), [b'x', b'y'],
                      2))
    with pytest.raises(BitstreamError, match='MAX_TILE_SYMBOLS'):
        pack(CdiRecord('x', (512, 64, 64), (512, 512), [b'x'], 64))
    assert MAX_TILE_SYMBOLS >= 32 * 64 * 64


def test_bad_tile_side_is_refused():
    with pytest.raises(ValueError, match='tile_side'):
        compress_images(CODECS['ste-centers'], images(32, 32), tile_side=0)


def test_version_1_values_beyond_int16_are_refused_not_wrapped():
    eb = CODECS['entropy-bottleneck']
    data = compress_images(eb, images(40, 48), tile_side=None)[0]
    record = unpack(data)
    y = torch.zeros(1, 8, 5, 6)
    y[0, 1, 1, 1] = 40000.0
    forged = pack(
        CdiRecord(record.fingerprint, record.latent_shape, record.image_size,
                  eb.quantizer.compress(y)))
    assert decompress_image(eb, forged).latent.abs().max() > 32767
    with pytest.raises(BitstreamError, match='outside the symbol range'):
        decode_symbols(eb, forged)
