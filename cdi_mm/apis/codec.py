"""Load a trained codec from a checkpoint and encode/decode image files."""
import mmcv
import numpy as np
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from cdi_mm.codecs import build_codec, codec_fingerprint, compress_images

__all__ = ['CodecCheckpointError', 'load_codec', 'read_image', 'compress_file']


class CodecCheckpointError(ValueError):
    """A checkpoint does not describe a usable codec."""


def load_codec(checkpoint, name=None, device='cpu'):
    """Rebuild a codec from a checkpoint that records it in ``meta['codecs']`` (written by
    :class:`~cdi_mm.engine.RefreshCodingTablesHook`), weights-only.

    Args:
        checkpoint (str): Local path or URL.
        name (str, optional): Module name of the codec inside the checkpoint's model
            (e.g. ``'codec'``); the outermost codec when None.
        device (str): Where to put the codec.

    Returns:
        nn.Module: The codec in eval mode, its fingerprint verified.

    Raises:
        CodecCheckpointError: No codec record, unknown ``name``, or weights that do not
            reproduce the recorded fingerprint.
    """
    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    records = ckpt.get('meta', {}).get('codecs') or {}
    if not records:
        raise CodecCheckpointError(
            f'{checkpoint} records no codec (meta["codecs"]); train it with '
            'RefreshCodingTablesHook in custom_hooks')
    if name is None:
        name = min(records, key=lambda n: (n.count('.'), len(n)))
    if name not in records:
        raise CodecCheckpointError(f'{checkpoint} has no codec {name!r}; it has '
                                   f'{sorted(records)}')
    record = records[name]
    codec = build_codec(record['cfg'])
    prefix = f'{name}.' if name else ''
    state = {k[len(prefix):]: v for k, v in ckpt['state_dict'].items() if k.startswith(prefix)}
    codec.load_state_dict(state)
    codec.to(device).eval()
    if codec_fingerprint(codec) != record['fingerprint']:
        raise CodecCheckpointError(
            f'{checkpoint}: the codec weights give fingerprint {codec_fingerprint(codec)!r} '
            f'but the checkpoint recorded {record["fingerprint"]!r}; the file is '
            'inconsistent')
    return codec


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
