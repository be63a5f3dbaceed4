"""User-facing helpers: load codecs, encode/decode files, run trained
models."""
from cdi_mm.codec_loading import CodecCheckpointError, load_codec
from cdi_mm.codecs import IMAGE_SUFFIXES
from .config_codec import set_codec_checkpoint
from .dataset_codec import (DatasetEncodingError, NameCollisionError,
                            compress_dataset, format_report)
from .dataset_decoding import decompress_dataset
from .dataset_transcoding import transcode_dataset
from .distillation_crops import teacher_agreement, write_distillation_crops
from .image_io import ImageReadError, compress_file, read_image
from .inference import CheckpointMismatchError, inference, init_model
from .segmentation_grid import model_input, segmentation_grid

__all__ = [
    'CheckpointMismatchError', 'CodecCheckpointError', 'DatasetEncodingError',
    'IMAGE_SUFFIXES', 'ImageReadError', 'NameCollisionError',
    'compress_dataset', 'compress_file', 'decompress_dataset', 'format_report',
    'inference', 'init_model', 'load_codec', 'model_input', 'read_image',
    'segmentation_grid', 'set_codec_checkpoint', 'transcode_dataset',
    'teacher_agreement', 'write_distillation_crops'
]
