"""Pre-encoded ``.cdi`` data sets in mmpretrain's folder-per-class layout."""
from mmpretrain.datasets import CustomDataset

from cdi_mm.registry import DATASETS

__all__ = ['LatentFolderDataset']


@DATASETS.register_module()
class LatentFolderDataset(CustomDataset):
    """mmpretrain's :class:`CustomDataset` for ``.cdi`` files.

    ``ROOT/<class>/**/*.cdi`` (classes from the folder names, sorted) or an
    annotation list, exactly as ``CustomDataset`` reads images; only the file
    suffix differs, so a tree written by ``tools/compress_dataset.py`` loads
    without naming extensions. Pair it with ``LoadLatentFromFile()``, which
    finds the codec in the data set's manifest (``cdi_codec.json``).

    Args:
        extensions (Sequence[str]): File suffixes to collect. Defaults to
            ``('.cdi', )``.
        **kwargs: Passed to ``CustomDataset`` (``data_root``, ``data_prefix``,
            ``ann_file``, ``metainfo``, ``pipeline``, ...).
    """

    def __init__(self, extensions=('.cdi', ), **kwargs):
        super().__init__(extensions=extensions, **kwargs)
