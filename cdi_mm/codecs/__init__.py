"""The CompressAI world (no MM imports): the paper's codec, quantizers, the
``.cdi`` container and the CompressAI zoo adapter."""
from .bitstream import BitstreamError, CdiRecord, pack, unpack
from .build import (CodecCheckpointError, build_codec, codec_checkpoint_dict,
                    codec_from_checkpoint, plain)
from .coding import (DecodedImage, codec_fingerprint, compress_images,
                     decode_symbols, decompress_image, latent_shape,
                     pad_to_stride, read_record, record_symbols,
                     transcode_to_v2)
from .factorized_prior_s8 import FactorizedPriorStride8
from .image_files import IMAGE_SUFFIXES, to_uint8_hwc
from .interface import LatentCodec, missing_codec_members
from .quantized_codec import QuantizedTransformCodec
from .quantizers import (CentersQuantizer, EntropyBottleneckQuantizer,
                         build_quantizer)
from .tiled import (PAD_SYMBOL, SymbolDequantizer, TiledCoder,
                    TiledStreamError, tiled_coder)
from .torfason2018 import Torfason2018
from .widen import widen_latent_channels
from .zoo import ZooCodec

__all__ = [
    'BitstreamError', 'CdiRecord', 'DecodedImage', 'codec_fingerprint',
    'compress_images', 'decompress_image', 'latent_shape', 'pack',
    'pad_to_stride', 'unpack', 'IMAGE_SUFFIXES', 'to_uint8_hwc', 'LatentCodec',
    'missing_codec_members', 'CodecCheckpointError', 'build_codec',
    'codec_checkpoint_dict', 'codec_from_checkpoint', 'plain',
    'CentersQuantizer', 'EntropyBottleneckQuantizer', 'build_quantizer',
    'Torfason2018', 'ZooCodec', 'FactorizedPriorStride8',
    'QuantizedTransformCodec', 'widen_latent_channels', 'decode_symbols',
    'transcode_to_v2', 'read_record', 'record_symbols', 'PAD_SYMBOL',
    'SymbolDequantizer', 'TiledCoder', 'TiledStreamError', 'tiled_coder'
]
