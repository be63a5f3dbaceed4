"""Load a trained codec from a checkpoint (path or URL, weights-only)."""
from mmengine.runner.checkpoint import CheckpointLoader

from cdi_mm.codecs import CodecCheckpointError, codec_from_checkpoint

__all__ = ['CodecCheckpointError', 'load_codec']


def load_codec(checkpoint, name=None, device='cpu'):
    """Rebuild the codec recorded in a checkpoint (path or URL, loaded
    weights-only); see :func:`cdi_mm.codecs.codec_from_checkpoint`."""
    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    return codec_from_checkpoint(ckpt, name, source=checkpoint).to(device)
