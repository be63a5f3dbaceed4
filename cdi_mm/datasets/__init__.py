"""Data sets and transforms a training job imports: the embedded default
data, the latent-loading pipelines and the pre-encoded manifest. The offline
builders are in :mod:`cdi_mm.data_builders`."""
from .codec_manifest import (MANIFEST_FILE, ManifestError, codec_from_manifest,
                             find_manifest, write_manifest)
from .fashion_mnist import EMBEDDED_ROOT, FASHION_MNIST_CLASSES
from .fashion_scenes import FashionScenesDataset
from .latent_folder import LatentFolderDataset
from .teacher_labelled import TeacherLabelledDataset
from .transforms import (LatentRandomCrop, LatentRandomFlip,
                         LoadCheckedImageFromFile, LoadLatentFromFile,
                         LoadLatentSymbols)

__all__ = [
    'MANIFEST_FILE', 'ManifestError', 'codec_from_manifest', 'find_manifest',
    'write_manifest', 'EMBEDDED_ROOT', 'FASHION_MNIST_CLASSES',
    'FashionScenesDataset', 'LatentFolderDataset', 'LatentRandomCrop',
    'LatentRandomFlip', 'LoadCheckedImageFromFile', 'LoadLatentFromFile',
    'LoadLatentSymbols', 'TeacherLabelledDataset'
]
