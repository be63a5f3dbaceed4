"""Coding images with a codec (see
:class:`~cdi_mm.codecs.interface.LatentCodec`) to and from ``.cdi`` bytes, and
the codec-level facts the container records: the latent shape for an image
size, the padding to the codec's stride and the codec fingerprint."""
import hashlib
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .bitstream import (BitstreamError, CdiRecord, check_record_limits, pack,
                        unpack)

__all__ = [
    'DecodedImage', 'codec_fingerprint', 'compress_images', 'decompress_image',
    'latent_shape', 'pad_to_stride'
]


@dataclass
class DecodedImage:
    """Result of :func:`decompress_image`: the exact quantized latent ``(C, h,
    w)``, the original image size and, when asked for, the reconstruction ``(3,
    H, W)`` in [0, 1]."""
    latent: torch.Tensor
    image_size: tuple
    image: torch.Tensor = None


def pad_to_stride(x, stride):
    """Replicate-pad ``x`` (B, 3, H, W) on the bottom/right to multiples of
    ``stride`` (a codec's ``pad_multiple``)."""
    h, w = x.shape[-2:]
    ph, pw = math.ceil(h / stride) * stride - h, math.ceil(
        w / stride) * stride - w
    return F.pad(x, (0, pw, 0, ph), mode='replicate') if ph or pw else x


def latent_shape(codec, height, width):
    """``(C, h, w)`` of the latent ``codec`` gives an image of ``height x
    width``."""
    pad = codec.pad_multiple
    return (codec.latent_channels,
            math.ceil(height / pad) * pad // codec.stride,
            math.ceil(width / pad) * pad // codec.stride)


def codec_fingerprint(codec):
    """``arch:cC:quantizer:hash`` where the hash covers the tensors defining
    the bitstream.

    Two codecs share a fingerprint only if their bitstreams are
    interchangeable.
    """
    digest = hashlib.sha256()
    for tensor in codec.coding_state():
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return (f'{codec.arch}:c{codec.latent_channels}:{codec.quantizer_name}:'
            f'{digest.hexdigest()[:16]}')


@torch.no_grad()
def compress_images(codec, images):
    """Encode a batch of same-size images into ``.cdi`` bytes, one per image.

    Args:
        codec: A cdi_mm codec (``torfason2018`` or a zoo adapter) in eval mode
            with built coding tables.
        images (Tensor): ``(B, 3, H, W)`` float RGB in [0, 1].

    Returns:
        list[bytes]
    """
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(
            f'expected images of shape (B, 3, H, W), got {tuple(images.shape)}'
        )
    height, width = images.shape[-2:]
    # refuse before encoding what the writer would refuse after it
    check_record_limits(
        CdiRecord('', latent_shape(codec, height, width), (height, width),
                  [b''] * getattr(codec, 'num_streams', 1)))
    out = codec.compress(pad_to_stride(images, codec.pad_multiple))
    fingerprint = codec_fingerprint(codec)
    return [
        pack(
            CdiRecord(fingerprint, latent_shape(codec, height,
                                                width), (height, width),
                      [stream[i] for stream in out['strings']]))
        for i in range(images.shape[0])
    ]


@torch.no_grad()
def decompress_image(codec, data, reconstruct=False, fingerprint=None):
    """Decode ``.cdi`` bytes with ``codec``: entropy decoding only, unless
    ``reconstruct`` asks for the synthesis transform too.

    ``fingerprint`` is the codec's :func:`codec_fingerprint` when the caller
    already holds it (a frozen codec decoding many files); it is computed
    otherwise.

    Raises:
        BitstreamError: See :func:`unpack`; also when the latent shape does not
            fit the image size or the payload decodes to symbols outside the
            alphabet.
    """
    record = unpack(
        data, expected_fingerprint=fingerprint or codec_fingerprint(codec))
    _, h, w = record.latent_shape
    height, width = record.image_size
    expected = latent_shape(codec, height, width)
    if record.latent_shape != expected:
        raise BitstreamError(
            f'latent shape {record.latent_shape} does not fit image size '
            f'{record.image_size} for this codec (expected {expected})')
    num_streams = getattr(codec, 'num_streams', 1)
    if len(record.strings) != num_streams:
        raise BitstreamError(
            f'{len(record.strings)} streams in the file, but this codec '
            f'writes {num_streams}')
    strings = [[s] for s in record.strings]
    try:
        latent = codec.decompress_latent(strings, (h, w))
    except (ValueError, RuntimeError) as exc:
        raise BitstreamError(f'payload does not decode: {exc}') from exc
    image = None
    if reconstruct:
        image = codec.synthesis(latent)[0, :, :height, :width]
    return DecodedImage(latent[0], (height, width), image)
