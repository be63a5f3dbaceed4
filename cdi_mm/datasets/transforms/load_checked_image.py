"""mmcv's image loading with the limits of a file from a stranger."""
import mmcv
import numpy as np
from mmcv.transforms import LoadImageFromFile

from cdi_mm.codecs.image_files import ImageReadError, read_image_file
from cdi_mm.registry import TRANSFORMS

__all__ = ['LoadCheckedImageFromFile']


@TRANSFORMS.register_module()
class LoadCheckedImageFromFile(LoadImageFromFile):
    """mmcv's ``LoadImageFromFile`` that reads only regular files of at most
    ``MAX_FILE_BYTES`` and decodes only images whose header declares at most
    ``MAX_IMAGE_PIXELS`` (Pillow's decompression-bomb limit) pixels.

    The stock transform decodes whatever OpenCV accepts (a 2.6 MB PNG of
    30,000 x 30,000 pixels: 5.7 GiB) and opens FIFOs and devices. Same
    arguments and outputs as ``LoadImageFromFile`` (local files;
    ``ignore_empty`` also skips refused files).

    Raises:
        ImageReadError: Not a regular file, too large, not an image, over the
            pixel limit, truncated or undecodable (file named).
    """

    def transform(self, results):
        path = results['img_path']
        try:
            data = read_image_file(path)
            img = mmcv.imfrombytes(
                data, flag=self.color_type, backend=self.imdecode_backend)
            if img is None:
                raise ImageReadError(f'{path}: cannot decode the image')
        except (OSError, ValueError):
            if self.ignore_empty:
                return None
            raise
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results
