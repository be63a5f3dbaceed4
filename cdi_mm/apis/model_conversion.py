"""One checkpoint for an on-the-fly model from its pre-encoded twin's.

A latent classifier trained on ``.cdi`` files (backbone ``X``) and the same
classifier behind a codec stem (``CodecBackbone``: backbone ``backbone.X``,
codec ``stem.codec``) compute the same thing on an image; this puts the
twin's weights and the stem's codec into the on-the-fly layout.
"""
from cdi_mm.codecs import codec_fingerprint
from cdi_mm.engine import (check_input_codecs, find_codecs,
                           recorded_input_codecs)
from cdi_mm.safe_checkpoint import safe_load
from .inference import CheckpointMismatchError, init_model

__all__ = ['image_model_checkpoint']


def image_model_checkpoint(config, checkpoint):
    """The checkpoint of an on-the-fly model (images in, codec stem) made from
    its pre-encoded twin's checkpoint: ``state_dict`` and ``meta``.

    Args:
        config (str | Config): The on-the-fly config.
        checkpoint (str): The pre-encoded classifier's checkpoint.

    Returns:
        dict: ``state_dict`` (the twin's weights under the stem's backbone,
        the codec's from the stem) and ``meta`` (the twin's, plus the codec
        record).

    Raises:
        CodecMismatchError: The config's codec is not the one the latent
            classifier was trained on.
        CheckpointMismatchError: Weights missing or left over.
    """
    model = init_model(config)
    codecs = find_codecs(model)
    if len(codecs) != 1 or not codecs[0][0].endswith('stem.codec'):
        raise ValueError(
            f'{config} is not an on-the-fly model with one codec stem '
            f'(codecs found: {[name for name, _ in codecs]})')
    stem_name, codec = codecs[0]
    prefix = stem_name[:-len('stem.codec')]  # 'backbone.'
    ckpt = safe_load(checkpoint)
    check_input_codecs({codec_fingerprint(codec)}, recorded_input_codecs(ckpt),
                       'on-the-fly model inputs', checkpoint)
    inner = prefix + 'backbone.'
    mapped = {}
    for key, value in ckpt['state_dict'].items():
        mapped[inner +
               key[len(prefix):] if key.startswith(prefix) else key] = value
    state = model.state_dict()
    stem = stem_name[:-len('codec')]
    missing = sorted(
        k for k in state if k not in mapped and not k.startswith(stem))
    extra = sorted(k for k in mapped if k not in state)
    if missing or extra:
        raise CheckpointMismatchError(
            f'{checkpoint} does not fit {config}: missing {missing[:5]}, '
            f'unexpected {extra[:5]}; is it the pre-encoded twin of this '
            'config?')
    state.update(mapped)
    meta = dict(ckpt.get('meta') or {})
    meta['codecs'] = {
        stem_name:
        dict(
            cfg=getattr(codec, 'build_cfg', None),
            fingerprint=codec_fingerprint(codec))
    }
    return dict(state_dict={k: v.cpu() for k, v in state.items()}, meta=meta)
