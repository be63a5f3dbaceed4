"""Runner-level pieces: weights-only checkpoint loading, CPU-capable DDP,
hooks."""
from .cpu_ddp import DeviceAgnosticDDP
from .cpu_env import adapt_cfg_for_device, close_dist, init_cpu_dist
from .hooks import CodecProvenanceHook, JointLossHook, RefreshCodingTablesHook
from .no_replay_loop import NoReplayIterBasedTrainLoop
from .provenance import (CodecMismatchError, check_input_codecs, find_codecs,
                         input_codec_fingerprints, recorded_input_codecs)
from .safe_checkpoint import (CheckpointReadError, UnsafeCheckpointError,
                              safe_load)

__all__ = [
    'CheckpointReadError', 'adapt_cfg_for_device', 'close_dist',
    'init_cpu_dist', 'DeviceAgnosticDDP', 'CodecMismatchError',
    'CodecProvenanceHook', 'JointLossHook', 'NoReplayIterBasedTrainLoop',
    'RefreshCodingTablesHook', 'UnsafeCheckpointError', 'check_input_codecs',
    'find_codecs', 'input_codec_fingerprints', 'recorded_input_codecs',
    'safe_load'
]
