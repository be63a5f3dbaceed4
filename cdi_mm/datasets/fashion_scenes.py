"""mmseg data set of the "fashion scenes" layout
(:func:`cdi_mm.data_builders.write_fashion_scenes` builds it)::

    ROOT/img_dir/{train,val}/<id>.png      ROOT/ann_dir/{train,val}/<id>.png
"""
from mmseg.datasets import BaseSegDataset

from cdi_mm.registry import DATASETS
from .fashion_mnist import FASHION_MNIST_CLASSES

__all__ = ['FashionScenesDataset', 'SCENE_CLASSES']

SCENE_CLASSES = ('background', ) + FASHION_MNIST_CLASSES


@DATASETS.register_module()
class FashionScenesDataset(BaseSegDataset):
    """mmseg dataset for the fashion-scenes layout written by
    :func:`cdi_mm.data_builders.write_fashion_scenes`.

    Args:
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`, e.g.
            ``data_root``, ``data_prefix=dict(img_path='img_dir/train',
            seg_map_path='ann_dir/train')``.
    """
    METAINFO = dict(
        classes=SCENE_CLASSES,
        palette=[[0, 0, 0], [230, 25, 75], [60, 180, 75], [255, 225, 25],
                 [0, 130, 200], [245, 130, 48], [145, 30, 180], [70, 240, 240],
                 [240, 50, 230], [210, 245, 60], [250, 190, 212]])

    def __init__(self, **kwargs):
        kwargs.setdefault('img_suffix', '.png')
        kwargs.setdefault('seg_map_suffix', '.png')
        kwargs.setdefault('reduce_zero_label', False)
        super().__init__(**kwargs)
