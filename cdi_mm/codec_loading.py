"""The one way cdi_mm loads a codec: from a checkpoint (path or URL) that
records it in ``meta['codecs']``.

Every caller goes through :func:`load_codec`: the codec stem, the latent
transforms, a data set's manifest
(:func:`cdi_mm.datasets.codec_manifest.codec_from_manifest` checks the file
against the manifest, then loads it here), the data-set tools and the model
converters. It sits below ``models/``, ``datasets/`` and ``apis/`` and needs
only ``cdi_mm.codecs`` and the weights-only loader
(:func:`cdi_mm.safe_checkpoint.load_checkpoint_file`).
"""
from cdi_mm.codecs import CodecCheckpointError, codec_from_checkpoint
from cdi_mm.safe_checkpoint import load_checkpoint_file

__all__ = ['CodecCheckpointError', 'load_codec']


def load_codec(checkpoint, name=None, device='cpu'):
    """Rebuild the codec recorded in a checkpoint.

    Args:
        checkpoint (str): Path or URL of a checkpoint recording the codec in
            ``meta['codecs']`` (a codec checkpoint or a task checkpoint with
            the codec inside).
        name (str, optional): Which recorded codec (default: the outermost).
        device (str): Where the codec goes.

    Returns:
        nn.Module: The codec in eval mode, its weights loaded.

    Raises:
        CodecCheckpointError: The checkpoint records no usable codec (see
            :func:`cdi_mm.codecs.codec_from_checkpoint`).
    """
    ckpt = load_checkpoint_file(checkpoint)
    return codec_from_checkpoint(ckpt, name, source=checkpoint).to(device)
