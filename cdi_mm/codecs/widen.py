"""Warm-start a codec with more latent channels from a trained one
(Net2Net-style)."""
import torch

__all__ = ['widen_latent_channels']


def widen_latent_channels(src,
                          dst,
                          template_channel=None,
                          synthesis_prefix='g_s.0.',
                          entropy_prefix='quantizer.'):
    """Copy a trained codec into one of the same design with more latent
    channels.

    Chen, Goodfellow, Shlens, "Net2Net: Accelerating learning via knowledge
    transfer", ICLR 2016 (function-preserving widening). Every tensor of
    ``dst`` that has the shape of ``src``'s is copied; a tensor that is larger
    along one dimension (the latent channels: the last analysis layer, the
    per-channel entropy model, the first synthesis layer) gets ``src``'s values
    in its leading slice. The new channels keep ``dst``'s fresh analysis
    initialisation; the synthesis weights that read them are zeroed, so the
    widened codec reconstructs exactly as ``src`` did; and their entropy model
    starts as a copy of ``template_channel``'s, a channel ``src`` leaves unused
    (density peaked at zero), so they cost almost no bits until training lets
    them carry information (a fresh, wide density would add about 1 bpp at once
    and make rate control throw lambda off). Coding tables (CDF buffers) are
    not copied; call ``dst.update(force=True)`` before coding.

    Args:
        src (nn.Module): The trained codec.
        dst (nn.Module): A fresh codec of the same design with at least as many
            latent channels (same hidden width N).
        template_channel (int, optional): Source channel whose entropy model
            the new channels copy; None keeps ``dst``'s fresh one.
        synthesis_prefix (str): State-dict prefix of the layer that reads the
            latent.
        entropy_prefix (str): State-dict prefix of the per-channel entropy
            model.

    Returns:
        list[str]: The names of the tensors that were widened.

    Raises:
        ValueError: A tensor of ``dst`` has no counterpart in ``src``, or
            differs in more than one dimension or is smaller (different N or
            design).
    """
    src_state = src.state_dict()
    dst_state = dst.state_dict()  # shares storage with dst: copies land in dst
    widened = []
    with torch.no_grad():
        for name, target in dst_state.items():
            if name.endswith(('_quantized_cdf', '_offset', '_cdf_length')):
                continue  # coding tables: rebuilt by update()
            if name not in src_state:
                raise ValueError(
                    f'{name} is not in the source codec: not the same design')
            source = src_state[name]
            if source.shape == target.shape:
                target.copy_(source)
                continue
            grown = [
                d for d, (a, b) in enumerate(zip(source.shape, target.shape))
                if a != b
            ]
            if (source.dim() != target.dim() or len(grown) != 1
                    or source.shape[grown[0]] > target.shape[grown[0]]):
                raise ValueError(
                    f'{name}: cannot widen {tuple(source.shape)} to '
                    f'{tuple(target.shape)}; only the latent channels may grow'
                )
            dim = grown[0]
            old = source.shape[dim]
            if name.startswith(synthesis_prefix) and name.endswith('weight'):
                target.zero_()
            elif name.startswith(
                    entropy_prefix) and template_channel is not None:
                new = target.narrow(dim, old, target.shape[dim] - old)
                new.copy_(
                    source.narrow(dim, template_channel, 1).expand_as(new))
            target.narrow(dim, 0, old).copy_(source)
            widened.append(name)
    return widened
