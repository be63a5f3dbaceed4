"""Offline data-set builders (what ``tools/prepare_data.py`` runs): the full
Fashion-MNIST, fashion scenes, the photo pool (Debian packages fetched with
``apt-get download``), photo objects / scenes, object photos, activity
photos (GCompris) and more photos (Scratch, Tux Paint, Palapeli).

Training never imports this package: ``cdi_mm.openmmlab`` pulls in the data
sets and transforms of :mod:`cdi_mm.datasets` only.
"""
from .activity_photos import (ACTIVITY_PACKAGE, read_qt_resources,
                              write_activity_photos)
from .fashion_mnist import read_idx, write_fashion_mnist
from .fashion_scenes import make_fashion_scene, write_fashion_scenes
from .more_photos import MORE_PHOTOS, write_more_photos
from .photo_objects import (OBJECT_CLASSES, STAMPS_PACKAGE, find_objects,
                            split_objects, write_object_photos,
                            write_photo_objects, write_photo_scenes)
from .photos import (DEBIAN_PHOTOS, HELD_OUT, fetch_debian_packages,
                     skimage_photos, write_photo_pool)

__all__ = [
    'ACTIVITY_PACKAGE', 'read_qt_resources', 'write_activity_photos',
    'read_idx', 'write_fashion_mnist', 'make_fashion_scene',
    'write_fashion_scenes', 'OBJECT_CLASSES', 'STAMPS_PACKAGE', 'find_objects',
    'split_objects', 'write_object_photos', 'write_photo_objects',
    'write_photo_scenes', 'DEBIAN_PHOTOS', 'HELD_OUT', 'fetch_debian_packages',
    'skimage_photos', 'write_photo_pool', 'MORE_PHOTOS', 'write_more_photos'
]
