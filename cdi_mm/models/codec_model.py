"""Codec pre-training as an mmengine model."""
import math

import torch
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement

from cdi_mm.codecs import build_codec, compress_images, decompress_image
from cdi_mm.registry import MODELS
from .codec_losses import codec_losses

__all__ = ['CodecModel']


@MODELS.register_module()
class CodecModel(BaseModel):
    """Trains a learned codec with the mmengine Runner (Torfason et al. 2018,
    Sec. 3).

    Loss ``MSE(x, x_hat) * (1 + beta * max(H - H_t, 0))`` for the
    ``ste-centers`` quantizer (H: bits per latent symbol; the MSE factor of the
    rate term is detached so beta is independent of the distortion's scale, see
    :func:`codec_losses`), or ``MSE + lmbda * bpp`` for ``entropy-bottleneck``
    (whose quantile loss is added as ``loss_aux``; its parameters only receive
    gradients from it). MSE is measured on the 0-255 scale. Prediction encodes
    each image to real ``.cdi`` bytes and decodes them again, so the metrics
    see real bitrates.

    Args:
        codec (dict): Codec config for :func:`cdi_mm.codecs.build_codec`, e.g.
            ``dict(type='torfason2018', channels=32)``.
        beta (float): Weight of the entropy term relative to the distortion
            (ste-centers). Defaults to 10.
        target_entropy (float): H_t in bits per symbol. Defaults to 1.27
            (0.635 bpp at C=32, stride 8).
        lmbda (float): Weight of bpp (entropy-bottleneck), or its starting
            value with ``target_bpp``. Defaults to 100.
        target_bpp (float, optional): Rate control for ``entropy-bottleneck``:
            lambda becomes a Lagrange multiplier adapted by dual ascent so the
            training bpp holds this target, ``log lambda += rate_control_step *
            clip(bpp / target - 1, -1, 1)`` every iteration (lambda is a
            buffer, so it is saved and resumed). None keeps lambda fixed.
        rate_control_step (float): Step of the dual ascent. Defaults to 1e-3.
        data_preprocessor (dict, optional): Defaults to scaling uint8 BGR
            images to [0, 1] RGB (the codec normalises internally). A dict
            without ``type`` is a classification preprocessor that the Runner
            passes down from a dataset base config; it is replaced by this
            default.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 codec,
                 beta=10.0,
                 target_entropy=1.27,
                 lmbda=100.0,
                 target_bpp=None,
                 rate_control_step=1e-3,
                 data_preprocessor=None,
                 init_cfg=None):
        if data_preprocessor is None or 'type' not in data_preprocessor:
            data_preprocessor = dict(
                type='ImgDataPreprocessor',
                mean=[0.0] * 3,
                std=[255.0] * 3,
                bgr_to_rgb=True)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.codec = build_codec(codec)
        self.beta = beta
        self.target_entropy = target_entropy
        if target_bpp is not None and (self.codec.quantizer_name
                                       != 'entropy-bottleneck'
                                       or target_bpp <= 0 or lmbda <= 0):
            raise ValueError(
                'target_bpp (rate control) needs the entropy-bottleneck '
                'quantizer, a positive target and a positive starting lmbda; '
                f'got {self.codec.quantizer_name!r}, target_bpp={target_bpp}, '
                f'lmbda={lmbda}')
        self.target_bpp = target_bpp
        self.rate_control_step = rate_control_step
        self.register_buffer(
            'log_lmbda', torch.tensor(math.log(lmbda), dtype=torch.float64))

    @property
    def lmbda(self):
        """The current weight of bpp (adapted during training with
        ``target_bpp``)."""
        return float(self.log_lmbda.exp())

    def forward(self, inputs, data_samples=None, mode='tensor'):
        if mode == 'loss':
            return self.loss(inputs)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.codec(inputs)['x_hat']
        raise RuntimeError(
            f'Invalid mode "{mode}"; use loss, predict or tensor')

    def loss(self, x):
        losses = codec_losses(self.codec, x, self.codec(x), self.beta,
                              self.target_entropy, self.lmbda)
        if self.target_bpp is not None:
            losses['lmbda'] = losses['bpp'].new_tensor(self.lmbda)
            if self.training:
                error = float(losses['bpp']) / self.target_bpp - 1
                self.log_lmbda += self.rate_control_step * min(
                    max(error, -1.0), 1.0)
        return losses

    @torch.no_grad()
    def predict(self, x, data_samples=None):
        """Encode to ``.cdi`` bytes and decode them; one data element per image
        with ``num_bytes``, ``num_pixels``, the reconstruction and the
        original."""
        results = []
        for i, data in enumerate(compress_images(self.codec, x)):
            decoded = decompress_image(self.codec, data, reconstruct=True)
            sample = BaseDataElement(
                metainfo=dict(img_shape=tuple(x.shape[-2:])))
            if data_samples is not None and hasattr(data_samples[i],
                                                    'metainfo'):
                sample.set_metainfo(data_samples[i].metainfo)
            sample.num_bytes = len(data)
            sample.num_pixels = x.shape[2] * x.shape[3]
            sample.pred_img = decoded.image
            sample.gt_img = x[i]
            results.append(sample)
        return results
