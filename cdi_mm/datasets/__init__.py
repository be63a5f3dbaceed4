"""Datasets and transforms: the embedded default data and latent-loading
pipelines."""
from .codec_manifest import (MANIFEST_FILE, ManifestError, codec_from_manifest,
                             find_manifest, write_manifest)
from .fashion_mnist import (EMBEDDED_ROOT, FASHION_MNIST_CLASSES,
                            write_fashion_mnist)
from .fashion_scenes import FashionScenesDataset, write_fashion_scenes
from .latent_folder import LatentFolderDataset
from .photo_objects import (OBJECT_CLASSES, write_photo_objects,
                            write_photo_scenes)
from .photos import write_photo_pool
from .teacher_labelled import TeacherLabelledDataset
from .transforms import (LatentRandomCrop, LatentRandomFlip,
                         LoadCheckedImageFromFile, LoadLatentFromFile,
                         LoadLatentSymbols)

__all__ = [
    'MANIFEST_FILE', 'ManifestError', 'codec_from_manifest', 'find_manifest',
    'write_manifest', 'EMBEDDED_ROOT', 'FASHION_MNIST_CLASSES',
    'write_fashion_mnist', 'FashionScenesDataset', 'LatentFolderDataset',
    'LatentRandomCrop', 'LatentRandomFlip', 'LoadCheckedImageFromFile',
    'LoadLatentFromFile', 'LoadLatentSymbols', 'OBJECT_CLASSES',
    'TeacherLabelledDataset', 'write_fashion_scenes', 'write_photo_objects',
    'write_photo_pool', 'write_photo_scenes'
]
