from .codec_provenance_hook import (CodecMismatchError, CodecProvenanceHook,
                                    input_codec_fingerprints)
from .coding_tables_hook import RefreshCodingTablesHook, find_codecs
from .joint_loss_hook import JointLossHook

__all__ = ['CodecMismatchError', 'CodecProvenanceHook', 'JointLossHook',
           'RefreshCodingTablesHook', 'find_codecs', 'input_codec_fingerprints']
