from .latent_crop_flip import LatentRandomCrop, LatentRandomFlip
from .load_checked_image import LoadCheckedImageFromFile
from .load_latent import LoadLatentFromFile
from .load_latent_symbols import LoadLatentSymbols

__all__ = [
    'LatentRandomCrop', 'LatentRandomFlip', 'LoadCheckedImageFromFile',
    'LoadLatentFromFile', 'LoadLatentSymbols'
]
