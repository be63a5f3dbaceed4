"""Which codecs made a model's inputs: finding the codecs in a model and a
data set, reading what a checkpoint records, and refusing a mismatch (used by
the hooks and by ``init_model`` / ``inference``)."""
from mmengine.model import is_model_wrapper

from cdi_mm.codecs import codec_fingerprint
from cdi_mm.datasets import LoadLatentFromFile
from cdi_mm.safe_checkpoint import load_checkpoint_file

__all__ = [
    'CodecMismatchError', 'check_init_checkpoints', 'check_input_codecs',
    'find_codecs', 'input_codec_fingerprints', 'recorded_input_codecs'
]


def find_codecs(model):
    """``(name, codec)`` for every cdi_mm codec inside ``model`` (modules with
    ``coding_state``, ``update`` and ``latent_channels``), outermost first."""
    if is_model_wrapper(model):
        model = model.module
    return [(name, m) for name, m in model.named_modules()
            if hasattr(m, 'coding_state') and hasattr(m, 'update')
            and hasattr(m, 'latent_channels')]


class CodecMismatchError(ValueError):
    """A model is evaluated on latents (or decoded images) of a codec it was
    not trained with."""


def _latent_codecs(dataset):
    """The codecs the ``LoadLatentFromFile`` transforms of ``dataset``
    (wrappers unwrapped) decode its files with (the first file decides, as
    every file's fingerprint is checked when it is loaded)."""
    for inner in getattr(dataset, 'datasets',
                         None) or [getattr(dataset, 'dataset', None)]:
        if inner is not None:
            yield from _latent_codecs(inner)
    pipeline = getattr(dataset, 'pipeline', None)
    for transform in getattr(pipeline, 'transforms', []):
        if isinstance(transform, LoadLatentFromFile) and len(dataset):
            yield transform.codec_for(dataset.get_data_info(0)['img_path'])[0]


def input_codec_fingerprints(model, dataset, with_model=True):
    """Fingerprints of the codecs that feed ``model`` on ``dataset``: those of
    ``LoadLatentFromFile`` in the pipeline and, with ``with_model``, the codecs
    inside the model (stems)."""
    fingerprints = {
        codec_fingerprint(codec)
        for codec in _latent_codecs(dataset)
    }
    if with_model:
        fingerprints.update(
            codec_fingerprint(codec) for _, codec in find_codecs(model))
    return fingerprints


def recorded_input_codecs(checkpoint):
    """The input-codec fingerprints a task checkpoint records
    (``meta['input_codecs']``, or the codecs inside a codec-stem model), or
    None."""
    meta = checkpoint.get('meta') or {}
    recorded = meta.get('input_codecs')
    if recorded is None and meta.get('codecs'):
        recorded = [c['fingerprint'] for c in meta['codecs'].values()]
    return set(recorded) if recorded else None


def check_input_codecs(given, expected, what, source):
    """Raise :class:`CodecMismatchError` if a codec in ``given`` is not in
    ``expected`` (nothing is checked when ``expected`` is None)."""
    foreign = sorted(set(given) - set(expected or given))
    if foreign:
        raise CodecMismatchError(
            f'the {what} come from codec(s) {foreign}, but the model was '
            f'trained on inputs of {sorted(expected)} (recorded in {source}); '
            'encode the data with the codec the model was trained with, or '
            'use a model trained on these latents')


def _init_checkpoints(model):
    """``(name, module, init_cfg)`` for every module of ``model`` whose
    ``init_cfg`` loads a checkpoint (mmengine's ``Pretrained``)."""
    if is_model_wrapper(model):
        model = model.module
    for name, module in model.named_modules():
        init_cfgs = getattr(module, 'init_cfg', None) or []
        for cfg in init_cfgs if isinstance(init_cfgs, list) else [init_cfgs]:
            if cfg.get('type') == 'Pretrained':
                yield name or 'the model', module, cfg


def _misfits(module, state_dict):
    """What keeps ``state_dict`` from loading strictly into ``module``."""
    own = module.state_dict()
    problems = [f'missing {k}' for k in own if k not in state_dict]
    problems += [f'unexpected {k}' for k in state_dict if k not in own]
    problems += [
        f'{k}: {tuple(state_dict[k].shape)} in the checkpoint, '
        f'{tuple(v.shape)} here' for k, v in own.items()
        if k in state_dict and state_dict[k].shape != v.shape
    ]
    return problems


def check_init_checkpoints(model, given):
    """Refuse a checkpoint that initialises part of ``model`` (``init_cfg``
    of type ``Pretrained``, e.g. a distilled backbone) but does not fit it
    (mmengine only logs a warning and leaves the misfits at random) or was
    trained on inputs of other codecs than ``given`` (fingerprints).

    Raises:
        ValueError: Weights missing, left over or of another shape.
        CodecMismatchError: The checkpoint records other input codecs.
    """
    for name, module, cfg in _init_checkpoints(model):
        checkpoint = load_checkpoint_file(cfg['checkpoint'])
        state_dict = checkpoint.get('state_dict', checkpoint)
        if cfg.get('prefix'):
            prefix = cfg['prefix'].rstrip('.') + '.'
            state_dict = {
                k[len(prefix):]: v
                for k, v in state_dict.items() if k.startswith(prefix)
            }
        problems = _misfits(module, state_dict)
        if problems:
            raise ValueError(
                f'{cfg["checkpoint"]} (prefix {cfg.get("prefix")!r}) does not '
                f'fit {name} ({type(module).__name__}): '
                f'{"; ".join(problems[:5])}'
                f'{" ..." if len(problems) > 5 else ""}. Give it the '
                "checkpoint's architecture (depth, widths, in_channels = the "
                'latent channels it was trained on) or drop its init_cfg to '
                'train from random weights')
        check_input_codecs(given, recorded_input_codecs(checkpoint),
                           'training inputs',
                           f'{cfg["checkpoint"]}, which initialises {name}')
