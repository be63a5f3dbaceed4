"""Runner-level pieces: CPU-capable DDP, codec provenance, hooks (the
weights-only checkpoint loader is :mod:`cdi_mm.safe_checkpoint`)."""
from .cpu_ddp import DeviceAgnosticDDP
from .cpu_env import adapt_cfg_for_device, close_dist, init_cpu_dist
from .hooks import CodecProvenanceHook, JointLossHook, RefreshCodingTablesHook
from .no_replay_loop import NoReplayIterBasedTrainLoop
from .provenance import (CodecMismatchError, check_input_codecs, find_codecs,
                         input_codec_fingerprints, recorded_input_codecs)

__all__ = [
    'adapt_cfg_for_device', 'close_dist', 'init_cpu_dist', 'DeviceAgnosticDDP',
    'CodecMismatchError', 'CodecProvenanceHook', 'JointLossHook',
    'NoReplayIterBasedTrainLoop', 'RefreshCodingTablesHook',
    'check_input_codecs', 'find_codecs', 'input_codec_fingerprints',
    'recorded_input_codecs'
]
