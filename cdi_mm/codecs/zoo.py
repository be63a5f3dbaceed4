"""CompressAI zoo codecs (stride 16) wherever a cdi_mm codec is expected."""
import os.path as osp

import torch
import torch.nn as nn
from compressai.zoo import image_models
from compressai.zoo.pretrained import load_pretrained
from compressai.registry import register_model

from .weights import download_checked, verify_name_hash

__all__ = ['ZooCodec']


class _LatentReached(Exception):
    """Raised by the stand-in synthesis transform to hand back ``y_hat``."""

    def __init__(self, y_hat):
        super().__init__('latent reached')
        self.y_hat = y_hat


class _CaptureLatent(nn.Module):

    def forward(self, y_hat):
        raise _LatentReached(y_hat)


@register_model('compressai-zoo')
class ZooCodec(nn.Module):
    """Adapter giving a CompressAI zoo model the cdi_mm codec interface.

    The latent has stride 16; images are padded to multiples of ``pad_multiple``
    (64 for hyperprior models). ``decompress_latent`` runs the model's own entropy
    decoding (hyperprior and autoregressive context models included) and stops at the
    input of ``g_s``, so the synthesis transform never runs; ``encode_latent`` goes
    through the real bitstream, image by image, so it equals ``decompress_latent`` by
    construction.

    Args:
        name (str): CompressAI zoo name: ``bmshj2018-factorized``,
            ``bmshj2018-hyperprior``, ``mbt2018-mean``, ``cheng2020-anchor``, ...
        quality (int): Zoo quality level.
        weights (str, optional): Local path or http(s) URL of the model's state dict
            (URLs with a ``-<sha8>`` name suffix are sha256-checked); loaded
            weights-only. Randomly initialised when None (tests only).
        metric (str): ``'mse'`` or ``'ms-ssim'`` (recorded in the fingerprint).
    """

    stride = 16

    def __init__(self, name, quality, weights=None, metric='mse'):
        super().__init__()
        if name not in image_models:
            raise KeyError(f'unknown CompressAI zoo model {name!r}; choose one of '
                           f'{sorted(image_models)}')
        self.model = image_models[name](quality=quality, metric=metric, pretrained=False)
        self.arch = f'{name}-{metric}-q{quality}'
        # hyperprior models downsample y by 4 more: pad images to multiples of 64
        self.pad_multiple = 64 if hasattr(self.model, 'h_a') else 16
        if weights is not None:
            path = download_checked(weights) if weights.startswith(('http://', 'https://')) \
                else osp.expanduser(weights)
            verify_name_hash(path)
            state = torch.load(path, map_location='cpu', weights_only=True)
            state = state.get('state_dict', state)
            self.model.load_state_dict(load_pretrained(state))
        self.model.update(force=True)
        with torch.no_grad():
            self.latent_channels = self.model.g_a(torch.zeros(1, 3, 64, 64)).shape[1]

    @property
    def quantizer_name(self):
        return 'compressai'

    def compress(self, x):
        """Per image, so the bytes of an image do not depend on its batch (hyperprior
        means are computed by convolutions whose float results vary with batch size)."""
        outs = [self.model.compress(x[i:i + 1]) for i in range(x.shape[0])]
        strings = [[s for out in outs for s in out['strings'][k]]
                   for k in range(len(outs[0]['strings']))]
        return {'strings': strings, 'shape': outs[0]['shape']}

    def decompress_latent(self, strings, latent_hw):
        """rANS strings -> ``y_hat`` for a latent of ``latent_hw`` (h, w)."""
        hyper = self.pad_multiple // self.stride
        return self._decode_until_g_s(strings, tuple(d // hyper for d in latent_hw))

    def _decode_until_g_s(self, strings, shape):
        g_s = self.model.g_s
        self.model.g_s = _CaptureLatent()
        try:
            self.model.decompress(strings, shape)
        except _LatentReached as reached:
            return reached.y_hat
        finally:
            self.model.g_s = g_s
        raise RuntimeError(f'{self.arch}: decompress never reached g_s')

    def encode_latent(self, x):
        """Through the real bitstream, image by image, exactly as files are decoded."""
        latents = []
        for i in range(x.shape[0]):
            out = self.model.compress(x[i:i + 1])
            latents.append(self._decode_until_g_s(out['strings'], out['shape']))
        return torch.cat(latents)

    def synthesis(self, y_hat):
        return self.model.g_s(y_hat).clamp(0, 1)

    def update(self, scale_table=None, force=False, update_quantiles=False):
        return self.model.update(scale_table=scale_table, force=force)

    def aux_loss(self):
        return self.model.aux_loss()

    def coding_state(self):
        return [t for name, t in self.model.named_buffers()
                if name.rsplit('.', 1)[-1] in ('_quantized_cdf', '_cdf_length', '_offset',
                                               'scale_table')]
