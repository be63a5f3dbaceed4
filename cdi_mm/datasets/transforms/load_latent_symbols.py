"""Load a crop of a pre-encoded latent as integer symbols, in one step."""
import numpy as np
import torch

from cdi_mm.codecs import (BitstreamError, read_record, record_symbols,
                           tiled_coder)
from cdi_mm.registry import TRANSFORMS
from .latent_crop_flip import crop_flip_masks, random_offset
from .load_latent import LoadLatentFromFile

__all__ = ['LoadLatentSymbols']

_CROPS = ('random', 'center')


@TRANSFORMS.register_module()
class LoadLatentSymbols(LoadLatentFromFile):
    """``.cdi`` file -> the int16 symbols of a (cropped, flipped) latent,
    without a float operation on the CPU.

    Reading, cropping and flipping happen in the entropy decoder: for a
    version-2 (tiled) file only the tiles the crop covers are decoded, and the
    symbols are written cropped and flipped straight into the ``(C, h, w)``
    int16 tensor that becomes ``results['img']``. The model's data
    preprocessor (``LatentClsDataPreprocessor``) maps symbols to latent
    values, batched, on its device, with ``results['latent_dequant']``
    (:class:`~cdi_mm.codecs.SymbolDequantizer`), which ``PackInputs`` must
    keep (``meta_keys``). Together it replaces ``LoadLatentFromFile`` +
    ``LatentRandomCrop`` + ``LatentRandomFlip`` (same crop and flip rules,
    masks included: a crop larger than the latent is padded with
    :data:`~cdi_mm.codecs.PAD_SYMBOL`, latent value 0, and ignored mask
    pixels). Version-1 files read too (the whole latent is decoded).

    Which codec: as :class:`LoadLatentFromFile` (the data set's manifest by
    default).

    Args:
        crop_size (tuple[int, int], optional): ``(h, w)`` in latent
            positions, e.g. (28, 28) for the paper's 224x224 crops; None keeps
            the whole latent.
        crop (str): ``'random'`` (training) or ``'center'``.
        flip_prob (float): Probability of a horizontal flip. Defaults to 0.
        seg_pad_val (int): Mask value of positions past the latent.
        codec_checkpoint (str, optional): See :class:`LoadLatentFromFile`.
        codec_name (str, optional): See :class:`LoadLatentFromFile`.
    """

    def __init__(self,
                 crop_size=None,
                 crop='random',
                 flip_prob=0.0,
                 seg_pad_val=255,
                 codec_checkpoint=None,
                 codec_name=None):
        super().__init__(codec_checkpoint, codec_name)
        if crop not in _CROPS:
            raise ValueError(f'crop must be one of {_CROPS}, got {crop!r}')
        if crop_size is not None and (len(crop_size) != 2
                                      or min(crop_size) < 1):
            raise ValueError(
                f'crop_size must be (h, w) >= 1 in latent positions, got '
                f'{crop_size!r}')
        if not 0 <= flip_prob <= 1:
            raise ValueError(f'flip_prob must be in [0, 1], got {flip_prob}')
        self.crop_size = tuple(crop_size) if crop_size else None
        self.crop = crop
        self.flip_prob = flip_prob
        self.seg_pad_val = seg_pad_val
        self._coders = {}

    def _window(self, h, w):
        if self.crop_size is None:
            return (0, 0), (h, w)
        ch, cw = self.crop_size
        free_y, free_x = max(h, ch) - ch, max(w, cw) - cw
        if self.crop == 'random':
            offset = random_offset(free_y + 1), random_offset(free_x + 1)
            return offset, (ch, cw)
        return (free_y // 2, free_x // 2), (ch, cw)

    def transform(self, results):
        path = results['img_path']
        codec, fingerprint = self.codec_for(path)
        coder = self._coders.get(fingerprint)
        if coder is None:
            coder = self._coders[fingerprint] = tiled_coder(codec)
        if coder is None:
            raise BitstreamError(
                f'{path}: codec {codec.arch} has no per-channel coding '
                'tables, so its latent has no symbols to load; use '
                'LoadLatentFromFile')
        data = self.read_file(path)
        try:
            record = read_record(codec, data, fingerprint)
            _, h, w = record.latent_shape
            (y, x), (ch, cw) = self._window(h, w)
            flip = bool(np.random.rand() < self.flip_prob)
            window = (y, x, min(ch, h - y), min(cw, w - x))
            symbols = record_symbols(codec, record, window, flip, (ch, cw),
                                     coder)
        except BitstreamError as exc:
            raise BitstreamError(f'{path}: {exc}') from exc
        results['latent_stride'] = codec.stride
        crop_flip_masks(results, (h, w), (y, x), (ch, cw), flip,
                        self.seg_pad_val)
        results['img'] = torch.from_numpy(symbols)
        results['img_shape'] = (ch, cw)
        results['ori_shape'] = record.image_size
        results['latent_crop_offset'] = (y, x)
        results['flip'] = flip
        results['flip_direction'] = 'horizontal' if flip else None
        results['latent_dequant'] = coder.dequantizer
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(crop_size={self.crop_size}, '
                f'crop={self.crop!r}, flip_prob={self.flip_prob})')
