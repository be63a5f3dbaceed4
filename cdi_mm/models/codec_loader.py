"""Load a trained codec from a checkpoint; read image files as codec input."""
import mmcv
import numpy as np
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from cdi_mm.codecs import CodecCheckpointError, codec_from_checkpoint, compress_images

__all__ = ['CodecCheckpointError', 'load_codec', 'read_image', 'compress_file']


def load_codec(checkpoint, name=None, device='cpu'):
    """Rebuild the codec recorded in a checkpoint (path or URL, loaded weights-only);
    see :func:`cdi_mm.codecs.codec_from_checkpoint`."""
    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    return codec_from_checkpoint(ckpt, name, source=checkpoint).to(device)


def read_image(path, size=None):
    """An image file as a ``(1, 3, H, W)`` float RGB tensor in [0, 1].

    Decoded and resized with mmcv (``imread``, bilinear ``imresize`` to ``size`` =
    ``(W, H)`` when given), exactly as mmpretrain's ``LoadImageFromFile`` + ``Resize``
    do, so that pre-encoded and on-the-fly latents of the same file agree.
    """
    image = mmcv.imread(path, channel_order='rgb')
    if image is None:
        raise OSError(f'cannot read image {path}')
    if size is not None:
        image = mmcv.imresize(image, tuple(size), interpolation='bilinear')
    array = image.astype(np.float32) / 255.0
    return torch.from_numpy(array).permute(2, 0, 1)[None].contiguous()


def compress_file(codec, path, size=None):
    """Encode one image file (resized to ``size`` = ``(W, H)`` if given) to ``.cdi``."""
    device = next(codec.parameters()).device
    return compress_images(codec, read_image(path, size).to(device))[0]
