import struct
import zlib

import pytest
import torch
from helpers import tiny_codec, warmed_up

from cdi_mm.codecs import (BitstreamError, CdiRecord, decompress_image, pack,
                           unpack)
from cdi_mm.codecs.bitstream import MAGIC, serialise_unchecked
from cdi_mm.codecs.coding import compress_images


@pytest.fixture(scope='module')
def codec():
    return warmed_up(tiny_codec())


@pytest.fixture(scope='module')
def data(codec):
    return compress_images(codec, torch.rand(1, 3, 40, 48))[0]


def _recrc(body):
    return body + struct.pack('<I', zlib.crc32(body))


def test_pack_unpack_round_trip():
    record = CdiRecord('torfason2018:c8:ste-centers:0123456789abcdef',
                       (8, 5, 6), (40, 48), [b'abc', b''])
    assert unpack(pack(record)) == record


@pytest.mark.parametrize('mutate,message', [
    (lambda d: b'', 'empty .cdi data'),
    (lambda d: d[:3], 'truncated .cdi data: 3 bytes end inside the magic'),
    (lambda d: d[:len(d) // 2], 'truncated .cdi data'),
    (lambda d: d[:-1], 'truncated .cdi data'),
    (lambda d: d + b'\0', 'unexpected bytes after the CRC32'),
    (lambda d: b'PNG\0' + d[4:], 'not a .cdi file'),
    (lambda d: d[:4] + b'\x07' + d[5:], 'unsupported .cdi format version 7'),
    (lambda d: d[:-8] + bytes([d[-8] ^ 0x10]) + d[-7:], 'CRC32 mismatch'),
    (lambda d: _recrc(d[:6] + b'x' + d[7:-4]), 'made by codec'),
])
def test_malformed_bitstreams_raise(codec, data, mutate, message):
    with pytest.raises(BitstreamError, match=message):
        decompress_image(codec, mutate(data))


def test_every_truncation_and_bit_flip_raises(codec, data):
    for n in range(len(data)):
        with pytest.raises(BitstreamError):
            decompress_image(codec, data[:n])
    for byte in range(len(data)):
        for bit in (0, 3, 7):
            flipped = bytearray(data)
            flipped[byte] ^= 1 << bit
            with pytest.raises(BitstreamError):
                decompress_image(codec, bytes(flipped))


def test_foreign_codec_refused(codec, data):
    other = warmed_up(tiny_codec(seed=1))
    with pytest.raises(
            BitstreamError,
            match=r"made by codec 'torfason2018:c8:ste-centers:"):
        decompress_image(other, data)
    wider = warmed_up(tiny_codec(channels=16))
    with pytest.raises(
            BitstreamError, match='re-encode the data with this codec'):
        decompress_image(wider, data)


def test_implausible_header_refused_before_allocation(codec):
    fp = unpack(compress_images(codec, torch.rand(1, 3, 8, 8))[0]).fingerprint
    huge = serialise_unchecked(
        CdiRecord(fp, (8, 8000, 8000), (64000, 64000), [b'x']))
    with pytest.raises(BitstreamError, match='decompression-bomb guard'):
        unpack(huge)
    with pytest.raises(BitstreamError, match='implausible shapes'):
        unpack(
            serialise_unchecked(
                CdiRecord(fp, (8, 9000, 1), (72000, 8), [b'x'])))
    mismatch = pack(CdiRecord(fp, (8, 2, 2), (40, 48), [b'x']))
    with pytest.raises(BitstreamError, match='does not fit image size'):
        decompress_image(codec, mismatch)


def test_valid_crc_garbage_payload(codec, data):
    record = unpack(data)
    for garbage in (b'', b'\xff' * 4, bytes(8), bytes(range(256)) * 2,
                    record.strings[0] + bytes(4), record.strings[0][:-4]):
        forged = pack(
            CdiRecord(record.fingerprint, record.latent_shape,
                      record.image_size, [garbage]))
        with pytest.raises(BitstreamError, match='payload does not decode'):
            decompress_image(codec, forged)


def test_writer_refuses_what_readers_refuse(codec, monkeypatch):
    fp = unpack(compress_images(codec, torch.rand(1, 3, 8, 8))[0]).fingerprint
    for shape, size, message in (((8, 8000, 8000), (64000, 64000),
                                  'MAX_LATENT_ELEMENTS'),
                                 ((8, 9000, 1), (72000, 8), 'MAX_LATENT_SIDE'),
                                 ((70000, 1, 1), (8, 8), 'C <= 65535')):
        with pytest.raises(BitstreamError, match=message):
            pack(CdiRecord(fp, shape, size, [b'x']))
    huge = torch.zeros(1, 3, 1, 1).expand(1, 3, 16384, 8200)
    # before encoding: the encoder's pixel limit, then the format's
    with pytest.raises(BitstreamError, match='MAX_ENCODE_PIXELS'):
        compress_images(codec, huge)
    from cdi_mm.codecs import coding
    monkeypatch.setattr(coding, 'MAX_ENCODE_PIXELS', 1 << 30)
    with pytest.raises(BitstreamError, match='MAX_LATENT_ELEMENTS'):
        compress_images(codec, huge)
    with pytest.raises(BitstreamError, match='streams'):
        pack(CdiRecord(fp, (8, 1, 1), (8, 8), [b'x'] * 9))


def test_magic_is_documented_constant():
    assert MAGIC == b'CDIM'
