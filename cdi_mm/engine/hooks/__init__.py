from .codec_provenance_hook import (CodecMismatchError, CodecProvenanceHook,
                                    input_codec_fingerprints)
from .coding_tables_hook import RefreshCodingTablesHook, find_codecs

__all__ = ['CodecMismatchError', 'CodecProvenanceHook', 'RefreshCodingTablesHook',
           'find_codecs', 'input_codec_fingerprints']
