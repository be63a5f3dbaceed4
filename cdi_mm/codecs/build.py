"""Build codecs from configs: the paper's codec or any model in CompressAI's
registry."""
from collections.abc import Mapping

import torch
import torch.nn as nn
from compressai.registry import MODELS as COMPRESSAI_MODELS

from .coding import codec_fingerprint
from .interface import missing_codec_members

__all__ = [
    'CodecCheckpointError', 'build_codec', 'codec_checkpoint_dict',
    'codec_from_checkpoint', 'plain'
]


def plain(value):
    """Recursively turn mappings into dicts and sequences into lists (so a
    config can be stored in a checkpoint that loads weights-only)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def build_codec(cfg):
    """Build a codec from ``dict(type=NAME, **kwargs)``.

    ``NAME`` is looked up in CompressAI's model registry, where
    ``torfason2018`` and the zoo adapter ``compressai-zoo`` register
    themselves. The plain config is kept in ``codec.build_cfg`` so checkpoints
    can record how to rebuild the codec. An ``nn.Module`` is returned
    unchanged. Either must be a :class:`~cdi_mm.codecs.interface.LatentCodec`.

    Raises:
        KeyError: ``type`` is not a registered CompressAI model.
        TypeError: The module is not a cdi_mm codec (the message names what it
            lacks).
    """
    if isinstance(cfg, nn.Module):
        return _checked_codec(cfg, type(cfg).__name__)
    cfg = plain(cfg)
    kwargs = dict(cfg)
    name = kwargs.pop('type')
    if name not in COMPRESSAI_MODELS:
        raise KeyError(
            f'unknown codec type {name!r}; registered CompressAI models: '
            f'{sorted(COMPRESSAI_MODELS)}')
    codec = _checked_codec(COMPRESSAI_MODELS[name](**kwargs), name)
    codec.build_cfg = cfg
    return codec


def _checked_codec(codec, name):
    missing = missing_codec_members(codec)
    if missing:
        raise TypeError(
            f'{name} is not a cdi_mm codec: it lacks {", ".join(missing)}; '
            'CompressAI zoo models are used through '
            "dict(type='compressai-zoo', name=..., quality=...)")
    return codec


class CodecCheckpointError(ValueError):
    """A checkpoint does not describe a usable codec."""


#: Codec types a checkpoint's ``meta['codecs']`` may name (any other CompressAI
#: model, and arguments that fetch anything, are refused: checkpoints come from
#: strangers).
CHECKPOINT_CODEC_TYPES = ('torfason2018', 'factorized-prior-s8',
                          'compressai-zoo')


def _is_plain(value):
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and _is_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def _checked_record_cfg(cfg, source):
    """A checkpoint's recorded codec config, allow-listed: a known codec type,
    plain values only, and no ``weights`` (they come from the checkpoint's
    state dict)."""
    known = isinstance(cfg, dict) and cfg.get('type') in CHECKPOINT_CODEC_TYPES
    if not known or not _is_plain(cfg):
        kind = cfg.get('type') if isinstance(cfg, dict) else type(cfg).__name__
        raise CodecCheckpointError(
            f'{source} records codec {kind!r}; checkpoints may only name '
            f'{", ".join(CHECKPOINT_CODEC_TYPES)} with plain arguments')
    return {k: v for k, v in cfg.items() if k != 'weights'}


#: Recorded codec arguments above this are sizes that must show in the weights.
_SMALL_ARG = 16


def _check_sizes_against_weights(cfg, state_dict, prefix, source):
    """Refuse, before anything is built, a recorded codec config with a size
    (an integer argument over 16: ``N``, ``channels``, ``num_centers``, ...)
    that no weight of the codec has as a dimension: a small checkpoint must
    not make the reader build a huge codec (``N=6000``, ``num_centers=5e7``).
    """
    if not isinstance(state_dict, dict):
        raise CodecCheckpointError(f'{source} has no state_dict of weights')
    dims = {
        d
        for k, v in state_dict.items()
        if k.startswith(prefix) and isinstance(v, torch.Tensor)
        for d in v.shape
    }
    for key, value in cfg.items():
        if (isinstance(value, int) and not isinstance(value, bool)
                and value > _SMALL_ARG and value not in dims):
            raise CodecCheckpointError(
                f'{source} records codec argument {key}={value}, but no '
                'weight of the codec has that size; the file is '
                'inconsistent (refused before building the codec)')


def codec_checkpoint_dict(codec, name='codec', cfg=None):
    """A checkpoint holding ``codec`` as a training run records it (what
    :func:`codec_from_checkpoint` reads): its weights under ``name.`` and
    ``meta['codecs'][name]`` with its config and fingerprint.

    Args:
        codec (nn.Module): A codec whose coding tables are up to date.
        name (str): Module name of the codec in the checkpoint. Defaults to
            ``'codec'`` (as ``CodecModel`` names it).
        cfg (dict, optional): The config to record; defaults to
            ``codec.build_cfg`` (set by :func:`build_codec`).

    Returns:
        dict: ``state_dict`` and ``meta``, for ``torch.save``.
    """
    cfg = getattr(codec, 'build_cfg', None) if cfg is None else cfg
    if cfg is None:
        raise CodecCheckpointError(
            f'{type(codec).__name__} has no build_cfg; build it with '
            'build_codec or pass cfg=dict(type=..., ...)')
    prefix = f'{name}.' if name else ''
    return dict(
        state_dict={
            prefix + k: v
            for k, v in codec.state_dict().items()
        },
        meta=dict(codecs={
            name:
            dict(cfg=plain(cfg), fingerprint=codec_fingerprint(codec))
        }))


def codec_from_checkpoint(ckpt, name=None, source='checkpoint'):
    """Rebuild a codec from a loaded checkpoint dict that records it in
    ``meta['codecs']`` (written by ``cdi_mm.engine.RefreshCodingTablesHook``).

    Args:
        ckpt (dict): The checkpoint (loaded weights-only by the caller).
        name (str, optional): Module name of the codec inside the checkpoint's
            model (e.g. ``'codec'``); the outermost codec when None.
        source (str): Where the checkpoint came from, for messages.

    Returns:
        nn.Module: The codec in eval mode, its fingerprint verified.

    Raises:
        CodecCheckpointError: No codec record, unknown ``name``, or weights
            that do not reproduce the recorded fingerprint.
    """
    if not isinstance(ckpt, dict) or not isinstance(
            ckpt.get('meta', {}), dict):
        raise CodecCheckpointError(
            f'{source} is not a checkpoint dict with a meta dict (got '
            f'{type(ckpt).__name__}); is it a codec checkpoint?')
    records = ckpt.get('meta', {}).get('codecs') or {}
    if not isinstance(records, dict) or not all(
            isinstance(r, dict) for r in records.values()):
        raise CodecCheckpointError(
            f'{source}: meta["codecs"] must map module names to records '
            f'(dicts), got {type(records).__name__}')
    if not records:
        raise CodecCheckpointError(
            f'{source} records no codec (meta["codecs"]); train it with '
            'RefreshCodingTablesHook in custom_hooks')
    if name is None:
        name = min(records, key=lambda n: (n.count('.'), len(n)))
    if name not in records:
        raise CodecCheckpointError(f'{source} has no codec {name!r}; it has '
                                   f'{sorted(records)}')
    record = records[name]
    prefix = f'{name}.' if name else ''
    cfg = _checked_record_cfg(record.get('cfg'), source)
    _check_sizes_against_weights(cfg, ckpt.get('state_dict'), prefix, source)
    try:
        codec = build_codec(cfg)
    except (TypeError, KeyError, ValueError) as exc:
        if isinstance(exc, CodecCheckpointError):
            raise
        raise CodecCheckpointError(
            f'{source}: its recorded codec {record.get("cfg")!r} '
            f'cannot be built: {exc}') from exc
    state = {
        k[len(prefix):]: v
        for k, v in ckpt['state_dict'].items() if k.startswith(prefix)
    }
    codec.load_state_dict(state)
    codec.eval()
    if codec_fingerprint(codec) != record['fingerprint']:
        raise CodecCheckpointError(
            f'{source}: the codec weights give fingerprint '
            f'{codec_fingerprint(codec)!r} but the checkpoint recorded '
            f'{record["fingerprint"]!r}; the file is inconsistent')
    return codec
