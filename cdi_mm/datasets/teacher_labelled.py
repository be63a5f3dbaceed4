"""Crops labelled by a teacher's logits: the data of offline distillation.

What ``tools/write_distillation_crops.py`` writes (``shard-*/`` folders with a
``files.txt`` list and ``teacher_logits.npy``), as PNG crops, as ``.cdi``
latents after ``tools/compress_dataset.py`` (which rewrites the lists to
``.cdi``) or as decoded PNGs after ``tools/decompress_dataset.py``: one data
set type for the latent student, the decoded-image twin and the held-out
evaluation views.
"""
import os
import os.path as osp

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.datasets.categories import IMAGENET_CATEGORIES

from cdi_mm.registry import DATASETS

__all__ = ['TeacherLabelledDataset']

_LOGITS = 'teacher_logits.npy'
_FEATURES = 'teacher_features.npy'
_FILES = 'files.txt'


@DATASETS.register_module()
class TeacherLabelledDataset(BaseDataset):
    """Teacher-labelled crops, one sample per listed file.

    Each sample carries ``gt_score``, the teacher's 1,000 logits (float16 on
    disk; a distillation loss such as :class:`DistillationKLLoss` reads them
    through the head), and ``gt_label``, the teacher's top-1, so that
    mmpretrain's ``Accuracy(topk=(1, 5))`` measures agreement with the teacher
    (the teacher's top-1 among the student's top-1 / top-5). The classes are
    mmpretrain's ``IMAGENET_CATEGORIES``. Only complete shards (renamed into
    place by the writer) are read. With ``with_features`` each sample also
    carries ``gt_feature``, the teacher's pooled final feature map (written
    with ``--feature-size``), read from its shard's memory-mapped file when
    the sample is loaded (pack it with ``PackInputs(algorithm_keys=
    ('gt_feature', ))``).

    Args:
        data_root (str): Root holding the ``shard-*`` folders.
        max_shards (int, optional): Read only the first N complete shards.
        with_features (bool): Load ``gt_feature`` too.
        **kwargs: Passed to ``BaseDataset`` (``pipeline``, ``test_mode``,
            ``indices``, ...).

    Raises:
        FileNotFoundError: No complete shard under ``data_root``, or a listed
            file missing.
        ValueError: A shard whose logits (or features) do not match its file
            list.
    """

    METAINFO = dict(classes=IMAGENET_CATEGORIES)

    def __init__(self,
                 data_root,
                 max_shards=None,
                 with_features=False,
                 **kwargs):
        self.max_shards = max_shards
        self.with_features = with_features
        self._feature_maps = {}
        super().__init__(data_root=data_root, ann_file='', **kwargs)

    def _shards(self):
        if not osp.isdir(self.data_root):
            raise FileNotFoundError(
                f'no such distillation data: {self.data_root} (write it with '
                'tools/write_distillation_crops.py)')
        shards = sorted(
            name for name in os.listdir(self.data_root)
            if name.startswith('shard-') and '.' not in name
            and osp.isfile(osp.join(self.data_root, name, _LOGITS)))
        if not shards:
            raise FileNotFoundError(
                f'{self.data_root} holds no complete shard-* folder with '
                f'{_LOGITS}')
        return shards[:self.max_shards]

    def load_data_list(self):
        """One dict per crop: ``img_path``, ``gt_score``, ``gt_label``."""
        data_list = []
        for shard in self._shards():
            folder = osp.join(self.data_root, shard)
            with open(osp.join(folder, _FILES)) as f:
                names = f.read().split()
            logits = np.load(osp.join(folder, _LOGITS), allow_pickle=False)
            if logits.shape != (len(names), len(IMAGENET_CATEGORIES)):
                raise ValueError(
                    f'{folder}: {_LOGITS} has shape {logits.shape}, but '
                    f'{_FILES} lists {len(names)} files (1,000 classes '
                    'each); rewrite the shard')
            if self.with_features:
                self._check_features(folder, len(names))
            for row_index, (name, row) in enumerate(zip(names, logits)):
                path = osp.join(folder, name)
                if not osp.isfile(path):
                    raise FileNotFoundError(
                        f'{path} is listed in {_FILES} but missing; rerun '
                        'the tool that writes this folder')
                sample = dict(
                    img_path=path, gt_score=row, gt_label=int(row.argmax()))
                if self.with_features:  # its map: this row of the shard's
                    sample.update(feature_row=row_index)
                data_list.append(sample)
        return data_list

    @staticmethod
    def _check_features(folder, count):
        path = osp.join(folder, _FEATURES)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{path} not found: with_features needs crops written with '
                'tools/write_distillation_crops.py --feature-size 7')
        shape = np.load(path, mmap_mode='r').shape
        if len(shape) != 4 or shape[0] != count:
            raise ValueError(
                f'{path} has shape {shape}, but {_FILES} lists {count} files '
                '(one (C, s, s) map each); rewrite the shard')

    def get_data_info(self, idx):
        """The sample's dict, its logits (and features) as float32."""
        info = super().get_data_info(idx)
        info['gt_score'] = info['gt_score'].astype(np.float32)
        if self.with_features:
            path = osp.join(osp.dirname(info['img_path']), _FEATURES)
            if path not in self._feature_maps:  # one memory map per shard
                self._feature_maps[path] = np.load(path, mmap_mode='r')
            info['gt_feature'] = np.array(
                self._feature_maps[path][info.pop('feature_row')],
                dtype=np.float32)
        return info
