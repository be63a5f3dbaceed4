from .load_latent import LoadLatentFromFile

__all__ = ['LoadLatentFromFile']
