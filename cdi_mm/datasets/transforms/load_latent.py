"""Load a pre-encoded latent from a ``.cdi`` file (entropy decoding only)."""
from mmcv.transforms import BaseTransform
from mmengine.runner.checkpoint import CheckpointLoader

from cdi_mm.codecs import (BitstreamError, codec_fingerprint, codec_from_checkpoint,
                           decompress_image)
from cdi_mm.registry import TRANSFORMS

__all__ = ['LoadLatentFromFile']


@TRANSFORMS.register_module()
class LoadLatentFromFile(BaseTransform):
    """``.cdi`` file -> quantized latent, without running any synthesis transform.

    Put it where an image pipeline has ``LoadImageFromFile``. The latent is stored in
    ``results['img']`` as an ``(h, w, C)`` float32 array, so stock spatial transforms
    (``RandomFlip``, ``RandomCrop``, ``CenterCrop``) and ``PackInputs`` /
    ``PackSegInputs`` act on the latent grid. ``img_shape`` is the latent size,
    ``ori_shape`` the original image size and ``latent_stride`` the codec stride.

    The codec (loaded lazily, once per worker) must be the one that wrote the files:
    a ``.cdi`` of another codec raises :class:`cdi_mm.codecs.BitstreamError`.

    Args:
        codec_checkpoint (str): Checkpoint recording the codec in ``meta['codecs']``.
        codec_name (str, optional): Which codec of that checkpoint (default: outermost).
    """

    def __init__(self, codec_checkpoint, codec_name=None):
        self.codec_checkpoint = codec_checkpoint
        self.codec_name = codec_name
        self._codec = None
        self._fingerprint = None

    @property
    def codec(self):
        if self._codec is None:
            ckpt = CheckpointLoader.load_checkpoint(self.codec_checkpoint, map_location='cpu')
            self._codec = codec_from_checkpoint(ckpt, self.codec_name, self.codec_checkpoint)
            self._fingerprint = codec_fingerprint(self._codec)
        return self._codec

    def transform(self, results):
        path = results['img_path']
        with open(path, 'rb') as f:
            data = f.read()
        try:
            decoded = decompress_image(self.codec, data, fingerprint=self._fingerprint)
        except BitstreamError as exc:
            raise BitstreamError(f'{path}: {exc}') from exc
        latent = decoded.latent.permute(1, 2, 0).contiguous().numpy()
        results['img'] = latent
        results['img_shape'] = latent.shape[:2]
        results['ori_shape'] = decoded.image_size
        results['latent_stride'] = self.codec.stride
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(codec_checkpoint={self.codec_checkpoint!r})'
