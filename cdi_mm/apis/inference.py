"""Inference for users: a config + checkpoint, then an image or a ``.cdi``
file."""
import importlib
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import _load_checkpoint_to_model

from cdi_mm.codecs import codec_fingerprint
from cdi_mm.datasets import LoadLatentFromFile
from cdi_mm.engine.provenance import check_input_codecs, recorded_input_codecs
from cdi_mm.safe_checkpoint import load_checkpoint_file
from .image_io import read_image

__all__ = ['CheckpointMismatchError', 'init_model', 'inference']


class CheckpointMismatchError(ValueError):
    """A checkpoint's weights do not fit the config's model (missing,
    unexpected or differently shaped parameters)."""


def init_model(config,
               checkpoint=None,
               device='cpu',
               cfg_options=None,
               strict=True):
    """Build the model of an mmpretrain or mmseg config and load its weights.

    The checkpoint is loaded weights-only and strictly: every parameter of the
    model must be in it with its shape, and nothing else. Its record of the
    input codec (``meta['input_codecs']``, written by ``CodecProvenanceHook``)
    is kept on the model, so that :func:`inference` refuses ``.cdi`` files of
    another codec. On the CPU, SyncBN layers (the multi-GPU configs) become
    BatchNorm, as mmseg's ``init_model`` does.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Checkpoint path or URL.
        device (str): Where to run. Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config.
        strict (bool): Refuse a checkpoint whose keys or shapes differ from the
            model (default). False loads what matches and logs the rest,
            leaving those layers at their initialisation.

    Returns:
        nn.Module: The model in eval mode, with ``cfg``, ``dataset_meta`` and
        ``input_codecs`` attributes.

    Raises:
        CheckpointMismatchError: ``strict`` and the checkpoint does not fit,
            naming the missing and unexpected keys.
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    scope = cfg.get('default_scope') or 'mmpretrain'
    registry = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        model = registry.MODELS.build(cfg.model)
    model.cfg, model.dataset_meta, model.input_codecs = cfg, None, None
    if checkpoint is not None:
        try:
            ckpt = _load_checkpoint_to_model(
                model, load_checkpoint_file(checkpoint), strict=strict)
        except RuntimeError as exc:
            # mmengine: 'The model and loaded state dict do not match
            # exactly' (missing / unexpected keys, size mismatch)
            if not any(
                    m in str(exc)
                    for m in ('state_dict', 'state dict', 'size mismatch')):
                raise
            raise CheckpointMismatchError(
                f'{checkpoint} does not fit the model of '
                f'{cfg.filename or "the config"}: '
                f'{" ".join(str(exc).split())}. Is it the checkpoint of '
                'another config? strict=False (tools/infer.py --strict '
                'false) loads what matches') from exc
        meta = ckpt.get('meta') or {}
        model.dataset_meta = meta.get('dataset_meta')
        model.input_codecs = recorded_input_codecs(ckpt)
    if model.dataset_meta is None:
        model.dataset_meta = cfg.test_dataloader.dataset.get('metainfo')
    if device == 'cpu':
        model = revert_sync_batchnorm(model)
    return model.to(device).eval()


def _reads_latents(transform, scope):
    """Whether a pipeline step is a ``LoadLatentFromFile`` (or a subclass),
    its type looked up in ``scope``'s transform registry."""
    kind = transform['type']
    if isinstance(kind, str):
        kind = importlib.import_module(f'{scope}.registry').TRANSFORMS.get(
            kind)
    return isinstance(kind, type) and issubclass(kind, LoadLatentFromFile)


def _test_pipeline(cfg, path, scope):
    pipeline = [
        t for t in cfg.test_dataloader.dataset.pipeline
        if t['type'] != 'LoadAnnotations'
    ]
    reads_latents = _reads_latents(pipeline[0], scope)
    if path.endswith('.cdi') != reads_latents:
        raise ValueError(
            f'{osp.basename(path)!r} is '
            f'{"a .cdi file" if path.endswith(".cdi") else "an image"}, but '
            'this config reads '
            f'{"latents (.cdi)" if reads_latents else "images"}; ' +
            ('use its pre-encoded config for .cdi files'
             if not reads_latents else
             'encode the image with tools/compress_dataset.py first or use '
             'the on-the-fly config'))
    return pipeline


def inference(model, path, topk=5):
    """Classify or segment one image file or ``.cdi`` file.

    Configs that read images (RGB or on-the-fly codec stem) take images;
    configs whose test pipeline starts with ``LoadLatentFromFile`` take
    ``.cdi`` files, which are entropy-decoded only. A ``.cdi`` of another codec
    than the pipeline's raises :class:`cdi_mm.codecs.BitstreamError`; a
    pipeline codec that the checkpoint was not trained with raises
    :class:`cdi_mm.engine.CodecMismatchError`.

    Args:
        model (nn.Module): From :func:`init_model`.
        path (str): Image or ``.cdi`` file.
        topk (int): Classification: how many labels to return.

    Returns:
        dict: Classification: ``labels`` (class names), ``label_ids`` and
        ``scores`` of the top k, best first. Segmentation: ``mask`` (H, W)
        int64 array of class ids at the image size. Both: ``data_sample``, the
        framework's prediction.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such file')
    if not path.endswith('.cdi'):
        read_image(
            path)  # a one-line error naming the file for what is not an image
    scope = model.cfg.get('default_scope') or 'mmpretrain'
    with DefaultScope.overwrite_default_scope(scope):
        pipeline = Compose(_test_pipeline(model.cfg, path, scope))
        loaders = [
            t for t in pipeline.transforms
            if isinstance(t, LoadLatentFromFile)
        ]
        check_input_codecs(
            {codec_fingerprint(t.codec_for(path)[0])
             for t in loaders}, model.input_codecs, 'latents',
            'the checkpoint')
        data = pseudo_collate([pipeline(dict(img_path=path))])
        with torch.no_grad():
            sample = model.test_step(data)[0]
    if 'pred_sem_seg' in sample:
        return dict(
            mask=sample.pred_sem_seg.data[0].cpu().numpy().astype(np.int64),
            data_sample=sample)
    scores = sample.pred_score.cpu()
    top = scores.topk(min(topk, scores.numel()))
    classes = (model.dataset_meta or {}).get('classes')
    ids = top.indices.tolist()
    return dict(
        label_ids=ids,
        scores=top.values.tolist(),
        data_sample=sample,
        labels=[classes[i] if classes else str(i) for i in ids])
