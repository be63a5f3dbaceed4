"""Hostile ``.cdi`` version-2 input: mutated and truncated files, forged tile
tables and tile streams behind a valid header and CRC, through the reader, the
crop decoder (``LoadLatentSymbols`` on hostile files: 400 more cases in
``test_bitstream_fuzz.py``). Only ``BitstreamError`` may come out; no crash,
hang or read outside a buffer (the sanitizer build in
``test_tiled_sanitizer.py`` runs the C decoder on the same kind of input).
1,900 cases, derandomized."""
import numpy as np
import pytest
import torch
from helpers import fuzz_settings, tiny_codec, warmed_up
from hypothesis import given
from hypothesis import strategies as st

from cdi_mm.codecs import (BitstreamError, CdiRecord, compress_images,
                           decode_symbols, decompress_image, pack, unpack)

CODECS = {
    q: warmed_up(tiny_codec(quantizer=q))
    for q in ('ste-centers', 'entropy-bottleneck')
}
BATCH = torch.rand(1, 3, 72, 88, generator=torch.Generator().manual_seed(0))
VALID = {
    (q, side): compress_images(c, BATCH, tile_side=side)[0]
    for q, c in CODECS.items()
    for side in (3, 'auto')
}


def refused_or_plausible(codec, data, window=None):
    try:
        symbols, record = decode_symbols(codec, data, window, True)
    except BitstreamError:
        return None
    lo, hi = codec.symbol_coding().value_range
    assert symbols.shape[0] == codec.latent_channels
    assert ((symbols >= lo) & (symbols <= hi)).all()
    return symbols


@fuzz_settings(900)
@given(
    key=st.sampled_from(sorted(VALID, key=str)),
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
    cut=st.integers(0, 10_000),
    insert=st.binary(max_size=8),
    window=st.none() | st.tuples(
        st.integers(0, 3), st.integers(0, 4), st.integers(1, 6),
        st.integers(1, 7)))
def test_mutated_and_truncated_v2(key, edits, cut, insert, window):
    codec, valid = CODECS[key[0]], VALID[key]
    data = bytearray(valid)
    for pos, value in edits:
        data[pos % len(data)] = value
    data = bytes(data[:cut % (len(data) + 1)]) + insert
    symbols = refused_or_plausible(codec, data, window)
    if symbols is not None:  # only a no-op mutation decodes
        assert data == valid


@pytest.mark.parametrize('quantizer', sorted(CODECS))
def test_forged_tile_tables_and_streams_with_valid_crc(quantizer):
    codec = CODECS[quantizer]
    fingerprint = unpack(VALID[quantizer, 3]).fingerprint

    @fuzz_settings(500)
    @given(
        height=st.integers(1, 200),
        width=st.integers(1, 200),
        side=st.integers(1, 70),
        lengths=st.lists(st.integers(0, 300), max_size=12),
        payload=st.binary(max_size=1_500))
    def forged(height, width, side, lengths, payload):
        shape = (codec.latent_channels, -(-height // 8), -(-width // 8))
        table = b''.join(
            bytes([(n & 0x7F) | 0x80, n >> 7]) if n > 0x7F else bytes([n])
            for n in lengths)
        data = pack(
            CdiRecord(fingerprint, shape, (height, width), [table + payload],
                      side))
        refused_or_plausible(codec, data)
        refused_or_plausible(codec, data, (0, 0, 1, 1))

    forged()


def test_same_file_decodes_the_same_every_time():
    codec = CODECS['entropy-bottleneck']
    data = VALID['entropy-bottleneck', 3]
    first = decompress_image(codec, data).latent
    for _ in range(3):
        assert torch.equal(decompress_image(codec, data).latent, first)
    assert np.array_equal(
        decode_symbols(codec, data, (1, 2, 4, 5))[0],
        decode_symbols(codec, data)[0][:, 1:5, 2:7])
