"""Data-loader throughput: what a training job's ``DataLoader`` delivers per
core through an OpenMMLab pipeline, with the collate a config names.

Used by ``tools/analysis_tools/loader_benchmark.py``. The stock Runner collates
with ``pseudo_collate`` unless a config names ``collate_fn`` (mmpretrain's
ImageNet configs name none): then every sample crosses from the worker as its
own tensor. ``default_collate`` stacks a batch in the worker.
"""
import os
import os.path as osp
import time

import torch
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate, pseudo_collate
from mmengine.registry import DefaultScope
from mmengine.utils import get_installed_path
from torch.utils.data import DataLoader, Dataset, RandomSampler

from cdi_mm.codecs import IMAGE_SUFFIXES

__all__ = [
    'COLLATES', 'MMPRETRAIN_IMAGENET', 'find_images', 'loader_throughput',
    'config_train_pipeline'
]

#: The collates a config can name, by name.
COLLATES = dict(pseudo_collate=pseudo_collate, default_collate=default_collate)
#: mmpretrain's ImageNet data config, whose ``train_pipeline`` is the JPEG
#: reference.
MMPRETRAIN_IMAGENET = 'mmpretrain::_base_/datasets/imagenet_bs32.py'


def find_images(root):
    """The image files under ``root`` (any layout, nested or not), sorted.

    Raises:
        FileNotFoundError: ``root`` is missing or holds no image.
    """
    if not osp.isdir(root):
        raise FileNotFoundError(f'{root}: no such folder of photos')
    found = sorted(
        osp.join(dirpath, name)
        for dirpath, _, files in os.walk(root, followlinks=True)
        for name in files if name.lower().endswith(IMAGE_SUFFIXES))
    if not found:
        raise FileNotFoundError(
            f'no images ({", ".join(IMAGE_SUFFIXES)}) under {root}')
    return found


def config_train_pipeline(config=MMPRETRAIN_IMAGENET):
    """The ``train_pipeline`` of a config file, a path or ``package::path``
    inside an installed OpenMMLab package (default: mmpretrain's own ImageNet
    pipeline, so the reference cannot drift from it)."""
    if '::' in config:
        package, rel = config.split('::', 1)
        config = osp.join(get_installed_path(package), '.mim', 'configs', rel)
    return [dict(t) for t in Config.fromfile(config).train_pipeline]


class _PipelineFiles(Dataset):
    """Files through a pipeline built in each worker process."""

    def __init__(self, paths, pipeline, scope):
        self.paths, self.pipeline_cfg, self.scope = paths, pipeline, scope
        self.pipeline = None

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        if self.pipeline is None:
            import cdi_mm.openmmlab  # noqa: F401  registers the transforms
            with DefaultScope.overwrite_default_scope(self.scope):
                self.pipeline = Compose(self.pipeline_cfg)
        return self.pipeline(dict(img_path=self.paths[index]))


def _one_thread(_):
    torch.set_num_threads(1)


def loader_throughput(paths,
                      pipeline,
                      workers,
                      batch_size,
                      batches,
                      collate='pseudo_collate',
                      scope='mmpretrain'):
    """Images/s of batches a ``DataLoader`` with ``workers`` processes (one
    torch thread each) delivers, after the first batch (worker start-up
    excluded); files drawn with replacement so any number of batches can be
    timed.

    Args:
        paths (list[str]): Input files.
        pipeline (list[dict]): Transform configs.
        workers (int): Worker processes.
        batch_size (int): Samples per batch.
        batches (int): Timed batches.
        collate (str): A key of :data:`COLLATES`.
        scope (str): Registry scope of the pipeline.
    """
    sampler = RandomSampler(
        paths,
        replacement=True,
        num_samples=batch_size * (batches + 1),
        generator=torch.Generator().manual_seed(0))
    loader = DataLoader(
        _PipelineFiles(paths, pipeline, scope),
        batch_size=batch_size,
        sampler=sampler,
        num_workers=workers,
        collate_fn=COLLATES[collate],
        worker_init_fn=_one_thread,
        persistent_workers=False)
    iterator = iter(loader)
    next(iterator)
    start, images = time.perf_counter(), 0
    for _ in range(batches):
        images += len(next(iterator)['inputs'])
    return images / (time.perf_counter() - start)
