"""CompressAI zoo codecs (stride 16) wherever a cdi_mm codec is expected."""
import os.path as osp

import torch
import torch.nn as nn
from compressai.models import (FactorizedPrior, MeanScaleHyperprior,
                               ScaleHyperprior)
from compressai.registry import register_model
from compressai.zoo import image_models
from compressai.zoo.pretrained import load_pretrained

from .entropy_models import (decode_entropy_bottleneck,
                             decode_gaussian_conditional)
from .rans import use_safe_entropy_coder
from .weights import download_checked, verify_name_hash

__all__ = ['ZooCodec', 'UnsafeDecodingError']

#: Zoo model classes whose entropy decoding cdi_mm does itself, bounded (the
#: rest decode sequentially through CompressAI's unchecked coder and are
#: refused for files).
_BOUNDED_DECODING = (FactorizedPrior, ScaleHyperprior, MeanScaleHyperprior)


class UnsafeDecodingError(ValueError):
    """Decoding files of this codec would need CompressAI's unchecked rANS
    decoder."""


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

    The latent has stride 16; images are padded to multiples of
    ``pad_multiple`` (64 for hyperprior models). ``decompress_latent`` runs the
    model's own entropy decoding (hyperprior and autoregressive context models
    included) and stops at the input of ``g_s``, so the synthesis transform
    never runs; ``encode_latent`` goes through the real bitstream, image by
    image, so it equals ``decompress_latent`` by construction.

    Args:
        name (str): CompressAI zoo name: ``bmshj2018-factorized``,
            ``bmshj2018-hyperprior``, ``mbt2018-mean``, ``cheng2020-anchor``,
            ...
        quality (int): Zoo quality level.
        weights (str, optional): Local path or http(s) URL of the model's state
            dict (URLs with a ``-<sha8>`` name suffix are sha256-checked);
            loaded weights-only. Randomly initialised when None (tests only).
        metric (str): ``'mse'`` or ``'ms-ssim'`` (recorded in the fingerprint).
    """

    stride = 16

    def __init__(self, name, quality, weights=None, metric='mse'):
        super().__init__()
        if name not in image_models:
            raise KeyError(
                f'unknown CompressAI zoo model {name!r}; choose one of '
                f'{sorted(image_models)}')
        self.model = image_models[name](
            quality=quality, metric=metric, pretrained=False)
        self.arch = f'{name}-{metric}-q{quality}'
        # hyperprior models downsample y by 4 more: pad images to multiples of
        # 64
        self.pad_multiple = 64 if hasattr(self.model, 'h_a') else 16
        if weights is not None:
            remote = weights.startswith(('http://', 'https://'))
            path = download_checked(weights) if remote else osp.expanduser(
                weights)
            verify_name_hash(path)
            state = torch.load(path, map_location='cpu', weights_only=True)
            state = state.get('state_dict', state)
            self.model.load_state_dict(load_pretrained(state))
        self.model.update(force=True)
        use_safe_entropy_coder(
            self.model)  # encoding too (autoregressive models excepted)
        with torch.no_grad():
            self.latent_channels = self.model.g_a(torch.zeros(1, 3, 64,
                                                              64)).shape[1]
        self.bounded_decoding = type(self.model) in _BOUNDED_DECODING
        self.num_streams = 2 if hasattr(self.model, 'h_a') else 1

    @property
    def quantizer_name(self):
        return 'compressai'

    def compress(self, x):
        """Per image, so the bytes of an image do not depend on its batch
        (hyperprior means are computed by convolutions whose float results vary
        with batch size)."""
        outs = [self.model.compress(x[i:i + 1]) for i in range(x.shape[0])]
        strings = [[s for out in outs for s in out['strings'][k]]
                   for k in range(len(outs[0]['strings']))]
        return {'strings': strings, 'shape': outs[0]['shape']}

    def decompress_latent(self, strings, latent_hw):
        """rANS strings (one list per stream) -> ``y_hat`` for a latent of
        ``latent_hw`` (h, w), decoded with the bounded decoder.

        Raises:
            UnsafeDecodingError: The model decodes only through CompressAI's
                unchecked coder.
            ValueError: Wrong number of streams, or a payload that does not
                decode (:class:`cdi_mm.codecs.rans.RansStreamError`).
        """
        if not self.bounded_decoding:
            raise UnsafeDecodingError(
                f'{self.arch}: files of {type(self.model).__name__} models '
                'decode symbol by symbol through CompressAI\'s unchecked '
                'rANS decoder, which reads past forged payloads; cdi_mm '
                'decodes only factorized and (mean-)scale hyperprior zoo '
                'models (bmshj2018-factorized, bmshj2018-hyperprior, '
                'mbt2018-mean)')
        if len(strings) != self.num_streams:
            raise ValueError(
                f'{self.arch} writes {self.num_streams} stream(s), got '
                f'{len(strings)}')
        model = self.model
        if self.num_streams == 1:
            return decode_entropy_bottleneck(model.entropy_bottleneck,
                                             strings[0], tuple(latent_hw))
        hyper = self.pad_multiple // self.stride
        z_hat = decode_entropy_bottleneck(model.entropy_bottleneck, strings[1],
                                          tuple(d // hyper for d in latent_hw))
        params, means = model.h_s(z_hat), None
        if isinstance(model, MeanScaleHyperprior):
            params, means = params.chunk(2, 1)
        gc = model.gaussian_conditional
        return decode_gaussian_conditional(gc, strings[0],
                                           gc.build_indexes(params), means)

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
        """Through the real bitstream, image by image, exactly as files are
        decoded (streams it has just written; autoregressive models decode them
        with CompressAI's own decoder)."""
        latents = []
        for i in range(x.shape[0]):
            out = self.model.compress(x[i:i + 1])
            latents.append(
                self.decompress_latent(out['strings'], [
                    d * self.pad_multiple // self.stride for d in out['shape']
                ]) if self.bounded_decoding else self.
                _decode_until_g_s(out['strings'], out['shape']))
        return torch.cat(latents)

    def synthesis(self, y_hat):
        return self.model.g_s(y_hat).clamp(0, 1)

    def update(self, scale_table=None, force=False, update_quantiles=False):
        return self.model.update(scale_table=scale_table, force=force)

    def aux_loss(self):
        return self.model.aux_loss()

    def coding_state(self):
        return [
            t for name, t in self.model.named_buffers()
            if name.rsplit('.', 1)[-1] in ('_quantized_cdf', '_cdf_length',
                                           '_offset', 'scale_table')
        ]
