from .codec_provenance_hook import CodecProvenanceHook
from .coding_tables_hook import RefreshCodingTablesHook
from .joint_loss_hook import JointLossHook

__all__ = ['CodecProvenanceHook', 'JointLossHook', 'RefreshCodingTablesHook']
