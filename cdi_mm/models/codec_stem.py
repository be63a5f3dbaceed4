"""The codec as the first stage of a task network."""
import torch
from mmengine.model import BaseModule

from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import build_codec, pad_to_stride
from cdi_mm.registry import MODELS

__all__ = ['CodecStem']


@MODELS.register_module()
class CodecStem(BaseModule):
    """Image -> quantized latent (or -> decoded image) with a learned codec.

    Torfason et al. 2018: the cResNets consume the codec's latent ``y_hat``;
    the RGB baselines consume the decoded image. Frozen (the default), the stem
    is always in eval mode, has no gradients and gives exactly the latent that
    ``compress`` / ``decompress`` of the same image give. Trainable (joint
    training), it runs the codec's training forward and keeps the last output
    (``last_output``: input, reconstruction, likelihoods) for the joint loss.

    Inputs are ``(B, 3, H, W)`` RGB in [0, 1] (a data preprocessor with
    ``mean=0``, ``std=255``, ``to_rgb=True``); they are padded to the codec's
    stride.

    Args:
        codec (dict, optional): Codec config (``dict(type='torfason2018',
            ...)`` or ``dict(type='compressai-zoo', ...)``), randomly
            initialised or with its own weights argument.
        codec_checkpoint (str, optional): A checkpoint recording its codec
            in ``meta['codecs']`` (a codec training run, or a task model with
            a codec); exactly one of ``codec`` and ``codec_checkpoint`` is
            required. The same two arguments as the latent-loading
            transforms (``LoadLatentFromFile``, ``LoadLatentSymbols``).
        codec_name (str, optional): Which codec of the checkpoint.
        output (str): ``'latent'`` or ``'reconstruction'``.
        frozen (bool): Keep the codec fixed. Defaults to True.
        init_cfg (dict, optional): mmengine init config (not applied to the
            codec).
    """

    def __init__(self,
                 codec=None,
                 codec_checkpoint=None,
                 codec_name=None,
                 output='latent',
                 frozen=True,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if (codec is None) == (codec_checkpoint is None):
            raise ValueError(
                'CodecStem needs exactly one of codec=dict(...) and '
                'codec_checkpoint=PATH')
        if output not in ('latent', 'reconstruction'):
            raise ValueError(
                f"output must be 'latent' or 'reconstruction', got {output!r}")
        self.codec = (
            load_codec(codec_checkpoint, codec_name)
            if codec_checkpoint else build_codec(codec))
        if codec is not None:
            self.codec.update(
                force=True)  # coding tables of a freshly built codec
        self.output = output
        self.frozen = frozen
        self.last_output = None
        if frozen:
            self.codec.requires_grad_(False)
            self.codec.eval()

    @property
    def latent_channels(self):
        return self.codec.latent_channels

    @property
    def stride(self):
        return self.codec.stride

    def init_weights(self):
        """The codec keeps its weights (from its checkpoint or its own
        init)."""

    def train(self, mode=True):
        super().train(mode)
        if self.frozen:
            self.codec.eval()
        return self

    def forward(self, x):
        height, width = x.shape[-2:]
        x = pad_to_stride(x, self.codec.pad_multiple)
        if self.frozen or not self.training:
            with torch.set_grad_enabled(not self.frozen):
                y_hat = self.codec.encode_latent(x)
            if self.output == 'latent':
                return y_hat
            return self.codec.synthesis(y_hat)[..., :height, :width]
        out = self.codec(x)
        self.last_output = dict(x=x, **out)
        if self.output == 'latent':
            return out['y_hat']
        return out['x_hat'][..., :height, :width]
