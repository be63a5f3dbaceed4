"""The codec's training objective, shared by codec pre-training and joint
training."""
import torch
import torch.nn.functional as F

__all__ = ['codec_losses']


def codec_losses(codec, x, out, beta, target_entropy, lmbda):
    """Distortion and rate terms of a codec's training forward (Torfason et al.
    2018, Sec. 3): ``MSE(x, x_hat) * (1 + beta * max(H - H_t, 0))`` for the
    ``ste-centers`` quantizer (H: bits per latent symbol from the soft
    histogram; the MSE factor of the rate term is detached), ``MSE + lmbda *
    bpp`` plus CompressAI's quantile loss (``loss_aux``) for
    ``entropy-bottleneck``. MSE is on the 0-255 scale.

    The paper writes the rate term as ``beta * max(H - H_t, 0)``; with MSE in
    the hundreds early in training that term is too weak to matter and H drifts
    far above H_t. Weighting it by the current (detached) distortion makes beta
    scale-free, "one bit above the target costs beta times the distortion", so
    the same beta holds H at H_t whatever the image range, codec or stage of
    training.

    Args:
        codec (nn.Module): The codec that produced ``out``.
        x (Tensor): Its input, ``(B, 3, H, W)`` in [0, 1].
        out (dict): ``codec(x)``: ``x_hat`` and ``likelihoods['y']``.
        beta (float): Weight of the entropy term relative to the distortion
            (ste-centers).
        target_entropy (float): H_t in bits per symbol (ste-centers).
        lmbda (float): Weight of bpp (entropy-bottleneck).

    Returns:
        dict: ``loss_distortion``, ``loss_rate`` (and ``loss_aux``), plus the
        detached diagnostics ``entropy``, ``bpp`` and ``psnr``.
    """
    mse = F.mse_loss(out['x_hat'], x) * 255.0**2
    bits = -torch.log2(out['likelihoods']['y'])
    entropy = bits.mean()
    bpp = bits.sum() / (x.shape[0] * x.shape[2] * x.shape[3])
    losses = dict(
        loss_distortion=mse,
        entropy=entropy.detach(),
        bpp=bpp.detach(),
        psnr=10 * torch.log10(255.0**2 / mse.detach().clamp_min(1e-10)))
    if codec.quantizer_name == 'ste-centers':
        losses['loss_rate'] = beta * mse.detach() * F.relu(entropy -
                                                           target_entropy)
    else:
        losses['loss_rate'] = lmbda * bpp
        losses['loss_aux'] = codec.aux_loss()
    return losses
