from .codec_provenance_hook import (CodecMismatchError, CodecProvenanceHook,
                                    check_input_codecs,
                                    input_codec_fingerprints,
                                    recorded_input_codecs)
from .coding_tables_hook import RefreshCodingTablesHook, find_codecs
from .joint_loss_hook import JointLossHook

__all__ = [
    'CodecMismatchError', 'CodecProvenanceHook', 'JointLossHook',
    'RefreshCodingTablesHook', 'check_input_codecs', 'find_codecs',
    'input_codec_fingerprints', 'recorded_input_codecs'
]
