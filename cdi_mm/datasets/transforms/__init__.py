from .latent_crop_flip import LatentRandomCrop, LatentRandomFlip
from .load_latent import LoadLatentFromFile

__all__ = ['LatentRandomCrop', 'LatentRandomFlip', 'LoadLatentFromFile']
