"""CompressAI's entropy models decoded through cdi_mm's bounded rANS decoder.

CompressAI's ``EntropyBottleneck.decompress`` /
``GaussianConditional.decompress`` call its C++ decoder, which trusts the
stream; these read the same coding tables (the models' ``_quantized_cdf``,
``_cdf_length`` and ``_offset``: CompressAI internals, kept in this one module)
and decode with :class:`~cdi_mm.codecs.rans.BoundedRansDecoder`.
"""
import math

import torch

from .rans import BoundedRansDecoder

__all__ = [
    'decode_entropy_bottleneck', 'decode_gaussian_conditional',
    'entropy_bottleneck_symbols'
]


def entropy_bottleneck_symbols(eb, strings, size):
    """The int32 symbols (``round(y - medians)``, ``(B, C, h, w)``) of
    CompressAI ``EntropyBottleneck`` streams, through the bounded decoder."""
    decoder = BoundedRansDecoder.for_tables(eb, eb._quantized_cdf,
                                            eb._cdf_length, eb._offset,
                                            eb.entropy_coder_precision)
    channels = eb._quantized_cdf.shape[0]
    indexes = decoder.indexes(
        tuple(size), lambda: eb._build_indexes((1, channels, *size)).int(),
        channels * math.prod(size), strings)
    symbols = torch.stack([decoder.decode(s, indexes) for s in strings])
    return symbols.reshape(len(strings), channels, *size)


def decode_entropy_bottleneck(eb, strings, size):
    """CompressAI ``EntropyBottleneck.decompress`` through the bounded decoder:
    exact for every stream CompressAI writes, escapes included, and safe on
    forged ones."""
    symbols = entropy_bottleneck_symbols(eb, strings, size)
    medians = eb._extend_ndims(eb._get_medians().detach(), len(size))
    return eb.dequantize(symbols.float(), medians, medians.dtype)


def decode_gaussian_conditional(gc, strings, indexes, means=None):
    """CompressAI ``GaussianConditional.decompress`` through the bounded
    decoder; ``indexes`` (B, C, h, w) come from the hyper-decoder."""
    decoder = BoundedRansDecoder.for_tables(gc, gc._quantized_cdf,
                                            gc._cdf_length, gc._offset,
                                            gc.entropy_coder_precision)
    symbols = torch.stack([
        decoder.decode(s, indexes[i].reshape(-1).int().numpy())
        for i, s in enumerate(strings)
    ]).reshape(indexes.shape)
    return gc.dequantize(symbols.float(), means, torch.float)
