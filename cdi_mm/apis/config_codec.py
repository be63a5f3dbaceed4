"""Point an MM config at a trained codec."""
__all__ = ['set_codec_checkpoint']


def set_codec_checkpoint(node, checkpoint):
    """Make every ``CodecStem`` and ``LoadLatentFromFile`` in a config use ``checkpoint``.

    Configs name their codec once (``codec_checkpoint = ...``), but mmengine substitutes
    that variable when the file is parsed; after loading, this walks the config (e.g.
    ``cfg._cfg_dict``) and changes the places that use it, in place.

    Args:
        node (dict | list): A config dict (or any part of it).
        checkpoint (str): Codec checkpoint recording ``meta['codecs']``.
    """
    if isinstance(node, dict):
        if node.get('type') == 'CodecStem':
            node['checkpoint'] = checkpoint
        if node.get('type') == 'LoadLatentFromFile':
            node['codec_checkpoint'] = checkpoint
        values = node.values()
    elif isinstance(node, (list, tuple)):
        values = node
    else:
        return
    for value in values:
        set_codec_checkpoint(value, checkpoint)
