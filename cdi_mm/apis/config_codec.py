"""Point an MM config at a trained codec."""
from mmengine.config import Config

__all__ = ['set_codec_checkpoint']

# the components that take (codec_checkpoint, codec_name)
_USES_A_CODEC = ('CodecStem', 'LoadLatentFromFile', 'LoadLatentSymbols')


def set_codec_checkpoint(node, checkpoint, name=None):
    """Make every ``CodecStem``, ``LoadLatentFromFile`` and
    ``LoadLatentSymbols`` in a config use ``checkpoint``.

    Configs name their codec once (``codec_checkpoint = ...``), but mmengine
    substitutes that variable when the file is parsed; after loading, this
    walks the config and changes the places that use it, in place.

    Args:
        node (Config | dict | list): A config (or any part of it).
        checkpoint (str): Codec checkpoint recording ``meta['codecs']``.
        name (str, optional): Which codec of the checkpoint (e.g.
            ``'backbone.stem.codec'`` of a joint training run); None: its
            outermost codec.
    """
    if isinstance(node, Config):
        node = list(node.values())
    if isinstance(node, dict):
        if node.get('type') in _USES_A_CODEC:
            node.update(codec_checkpoint=checkpoint, codec_name=name)
        values = node.values()
    elif isinstance(node, (list, tuple)):
        values = node
    else:
        return
    for value in values:
        set_codec_checkpoint(value, checkpoint, name)
