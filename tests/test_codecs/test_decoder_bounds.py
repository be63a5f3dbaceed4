"""Memory and work bounds of the v1 decoders (issue #33, items 1 and 3): a
refused file builds nothing and caches nothing, the index cache holds a few
latent sizes whatever files declare, and a payload may declare at most 1,024
symbols per byte whatever the tables allow."""
import pytest
import torch
from helpers import tiny_codec, warmed_up

from cdi_mm.codecs import (BitstreamError, CdiRecord, decompress_image, pack,
                           unpack)
from cdi_mm.codecs.coding import compress_images, latent_shape
from cdi_mm.codecs.rans import (INDEX_CACHE_SIZES, MIN_SYMBOL_BITS,
                                BoundedRansDecoder)

QUANTIZERS = ('ste-centers', 'entropy-bottleneck')


@pytest.fixture(scope='module', params=QUANTIZERS)
def codec_and_file(request):
    codec = warmed_up(tiny_codec(quantizer=request.param))
    image = torch.rand(
        1, 3, 40, 48, generator=torch.Generator().manual_seed(0))
    return codec, compress_images(codec, image, tile_side=None)[0]


def _decoder(codec):
    for module in codec.modules():
        cached = getattr(module, '_bounded_rans_decoder', None)
        if cached is not None:
            return cached[1]
    raise AssertionError('no bounded decoder was made')


def test_refused_sizes_build_and_keep_nothing(codec_and_file):
    codec, data = codec_and_file
    decompress_image(codec, data)  # the decoder exists, one size cached
    decoder = _decoder(codec)
    assert len(decoder._indexes) == 1
    fingerprint = unpack(data).fingerprint
    for side in range(200, 260, 4):  # each a new size, each too big for 8 B
        record = CdiRecord(fingerprint, latent_shape(codec, side * 8,
                                                     side * 8),
                           (side * 8, side * 8), [bytes(8)])
        with pytest.raises(BitstreamError, match='cannot hold'):
            decompress_image(codec, pack(record))
    assert len(decoder._indexes) == 1


def test_index_cache_is_bounded(codec_and_file):
    codec, _ = codec_and_file
    for size in range(16, 16 + 8 * (INDEX_CACHE_SIZES + 3), 8):
        decompress_image(
            codec,
            compress_images(
                codec, torch.rand(1, 3, size, size), tile_side=None)[0])
        assert len(_decoder(codec)._indexes) <= INDEX_CACHE_SIZES


def test_symbols_per_byte_floor():
    # tables whose likeliest symbol is nearly certain (65,535 / 65,536): on
    # their own they would let 8 bytes declare millions of symbols
    cdf = torch.tensor([[0, 65535, 65536, 0]], dtype=torch.int32)
    decoder = BoundedRansDecoder(cdf, torch.tensor([3]), torch.tensor([0]), 16)
    assert decoder.min_bits == MIN_SYMBOL_BITS
    assert decoder.max_symbols(8) == int(128 / MIN_SYMBOL_BITS) == 16384
    with pytest.raises(ValueError, match='cannot hold 16385'):
        decoder.check_capacity(16385, 8)
    built = []
    with pytest.raises(ValueError, match='cannot hold'):
        decoder.indexes((1, 1), lambda: built.append(1), 10**6, [bytes(64)])
    assert not built and not decoder._indexes


def test_header_pixel_limit_before_decoding(codec_and_file, monkeypatch):
    """An 11,584 x 11,584 image (134 Mpx, over Pillow's limit) in a header is
    refused by the reader before any decoding, and by the writer."""
    from cdi_mm.codecs import bitstream
    codec, data = codec_and_file
    side = 11584
    record = CdiRecord(
        unpack(data).fingerprint, latent_shape(codec, side, side),
        (side, side), [bytes(8)])
    with pytest.raises(BitstreamError, match='MAX_IMAGE_PIXELS'):
        pack(record)
    monkeypatch.setattr(bitstream, 'MAX_IMAGE_PIXELS', side * side)
    forged = pack(record)
    monkeypatch.undo()
    with pytest.raises(
            BitstreamError, match='11584x11584 image, over '
            'MAX_IMAGE_PIXELS'):
        decompress_image(codec, forged)


def test_reconstruction_limit(codec_and_file, monkeypatch):
    from cdi_mm.codecs import coding
    codec, data = codec_and_file  # a 48x40 image
    monkeypatch.setattr(coding, 'MAX_RECONSTRUCT_PIXELS', 48 * 40 - 1)
    with pytest.raises(BitstreamError, match='MAX_RECONSTRUCT_PIXELS=1919'):
        decompress_image(codec, data, reconstruct=True)
    assert decompress_image(codec, data).latent is not None  # latent only
    monkeypatch.setattr(coding, 'MAX_RECONSTRUCT_PIXELS', 48 * 40)
    assert decompress_image(
        codec, data, reconstruct=True).image.shape == (3, 40, 48)


def test_encoding_limit(codec_and_file, monkeypatch):
    from cdi_mm.codecs import coding
    codec, _ = codec_and_file
    monkeypatch.setattr(coding, 'MAX_ENCODE_PIXELS', 32 * 32 - 1)
    with pytest.raises(BitstreamError, match='MAX_ENCODE_PIXELS=1023'):
        compress_images(codec, torch.rand(1, 3, 32, 32))
    assert len(compress_images(codec, torch.rand(1, 3, 24, 32))) == 1
