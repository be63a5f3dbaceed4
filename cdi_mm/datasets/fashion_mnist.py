"""Fashion-MNIST (Xiao et al. 2017, MIT licence): class names and the subset
that ships with the package (:data:`EMBEDDED_ROOT`), in the layout
mmpretrain's stock ``CustomDataset`` reads with an annotation file::

    ROOT/train/<class_name>/<index>.png   ROOT/train.txt ("<path> <label>")
    ROOT/test/<class_name>/<index>.png    ROOT/test.txt

``tools/prepare_data.py fashion-mnist --src DIR``
(:func:`cdi_mm.data_builders.write_fashion_mnist`) writes the full set from
the IDX files.
"""
import os.path as osp

__all__ = ['FASHION_MNIST_CLASSES', 'FASHION_MNIST_FOLDERS', 'EMBEDDED_ROOT']

FASHION_MNIST_CLASSES = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
                         'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot')
#: Folder-safe class names, same order as :data:`FASHION_MNIST_CLASSES`.
FASHION_MNIST_FOLDERS = ('tshirt', 'trouser', 'pullover', 'dress', 'coat',
                         'sandal', 'shirt', 'sneaker', 'bag', 'ankle_boot')
EMBEDDED_ROOT = osp.join(osp.dirname(__file__), 'embedded', 'fashion_mnist')
