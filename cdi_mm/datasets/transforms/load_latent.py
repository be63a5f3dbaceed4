"""Load a pre-encoded latent from a ``.cdi`` file (entropy decoding only)."""
from mmcv.transforms import BaseTransform

from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import BitstreamError, codec_fingerprint, decompress_image
from cdi_mm.codecs.image_files import UnsafeFileError, read_regular_file
from cdi_mm.registry import TRANSFORMS
from ..codec_manifest import codec_from_manifest, find_manifest

__all__ = ['LoadLatentFromFile']


@TRANSFORMS.register_module()
class LoadLatentFromFile(BaseTransform):
    """``.cdi`` file -> quantized latent, without running any synthesis
    transform.

    Put it where an image pipeline has ``LoadImageFromFile``. The latent is
    stored in ``results['img']`` as an ``(h, w, C)`` float32 array, so stock
    spatial transforms (``RandomFlip``, ``RandomCrop``, ``CenterCrop``) and
    ``PackInputs`` / ``PackSegInputs`` act on the latent grid. ``img_shape`` is
    the latent size, ``ori_shape`` the original image size and
    ``latent_stride`` the codec stride.

    Which codec: ``codec_checkpoint`` when given; otherwise the one named by
    the ``cdi_codec.json`` manifest that ``tools/compress_dataset.py`` wrote at
    the root of the data set (found above each file, loaded and checked once
    per root and worker), so a pipeline names its data, not its codec. Every
    file's codec fingerprint is checked either way: a ``.cdi`` of another codec
    raises :class:`cdi_mm.codecs.BitstreamError`, a missing or inconsistent
    manifest :class:`cdi_mm.datasets.ManifestError`.

    Args:
        codec_checkpoint (str, optional): Checkpoint recording the codec in
            ``meta['codecs']``; None (default) reads the data set's manifest.
        codec_name (str, optional): Which codec of that checkpoint (default:
            outermost).
    """

    def __init__(self, codec_checkpoint=None, codec_name=None):
        self.codec_checkpoint = codec_checkpoint
        self.codec_name = codec_name
        self._codecs = {
        }  # manifest path (or None: the explicit checkpoint) -> codec
        self._manifest_of = {}  # folder -> manifest path

    def codec_for(self, path):
        """The codec that decodes the ``.cdi`` file (or data set folder)
        ``path``."""
        key = None if self.codec_checkpoint else find_manifest(
            path, self._manifest_of)
        if key not in self._codecs:
            if key is None:
                codec = load_codec(self.codec_checkpoint, self.codec_name)
            else:
                codec = codec_from_manifest(key)[0]
            self._codecs[key] = (codec, codec_fingerprint(codec))
        return self._codecs[key]

    @staticmethod
    def read_file(path):
        """The bytes of a ``.cdi`` file: a regular file of at most
        ``MAX_FILE_BYTES`` (a FIFO or a link to a device is refused, not
        waited on or read without end).

        Raises:
            BitstreamError: Not a regular file, or too large (path named).
        """
        try:
            return read_regular_file(path)
        except UnsafeFileError as exc:
            raise BitstreamError(str(exc)) from exc

    def transform(self, results):
        path = results['img_path']
        codec, fingerprint = self.codec_for(path)
        data = self.read_file(path)
        try:
            decoded = decompress_image(codec, data, fingerprint=fingerprint)
        except BitstreamError as exc:
            raise BitstreamError(f'{path}: {exc}') from exc
        latent = decoded.latent.permute(1, 2, 0).contiguous().numpy()
        results['img'] = latent
        results['img_shape'] = latent.shape[:2]
        results['ori_shape'] = decoded.image_size
        results['latent_stride'] = codec.stride
        return results

    def __repr__(self):
        source = self.codec_checkpoint or 'the data set manifest'
        return f'{self.__class__.__name__}(codec: {source!r})'
