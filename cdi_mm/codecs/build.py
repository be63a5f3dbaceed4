"""Build codecs from configs: the paper's codec or any model in CompressAI's registry."""
from collections.abc import Mapping

import torch.nn as nn
from compressai.registry import MODELS as COMPRESSAI_MODELS

__all__ = ['build_codec', 'plain']


def plain(value):
    """Recursively turn mappings into dicts and sequences into lists (so a config can be
    stored in a checkpoint that loads weights-only)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def build_codec(cfg):
    """Build a codec from ``dict(type=NAME, **kwargs)``.

    ``NAME`` is looked up in CompressAI's model registry, where ``torfason2018`` and the
    zoo adapter ``compressai-zoo`` register themselves. The plain config is kept in
    ``codec.build_cfg`` so checkpoints can record how to rebuild the codec. An
    ``nn.Module`` is returned unchanged.

    Raises:
        KeyError: ``type`` is not a registered CompressAI model.
    """
    if isinstance(cfg, nn.Module):
        return cfg
    cfg = plain(cfg)
    kwargs = dict(cfg)
    name = kwargs.pop('type')
    if name not in COMPRESSAI_MODELS:
        raise KeyError(f'unknown codec type {name!r}; registered CompressAI models: '
                       f'{sorted(COMPRESSAI_MODELS)}')
    codec = COMPRESSAI_MODELS[name](**kwargs)
    codec.build_cfg = cfg
    return codec
