"""The codec interface: what a module must offer to be a cdi_mm codec.

A codec is a stem (``CodecStem`` / ``CodecBackbone`` read its latent), is coded
to ``.cdi`` (:func:`~cdi_mm.codecs.compress_images`,
:func:`~cdi_mm.codecs.decompress_image`) and is fingerprinted
(:func:`~cdi_mm.codecs.codec_fingerprint`). ``Torfason2018`` and
``FactorizedPriorStride8`` (through
:class:`~cdi_mm.codecs.QuantizedTransformCodec`) and ``ZooCodec`` (CompressAI's
zoo) satisfy it; :func:`~cdi_mm.codecs.build_codec` refuses a module that does
not, naming what it lacks.
"""
from typing import Protocol, runtime_checkable

__all__ = ['LATENT_CODEC_MEMBERS', 'LatentCodec', 'missing_codec_members']


@runtime_checkable
class LatentCodec(Protocol):
    """A learned image codec whose quantized latent is what the task networks
    read.

    Attributes:
        arch (str): Architecture name, first field of the fingerprint.
        stride (int): Image pixels per latent element along each side.
        pad_multiple (int): Images are replicate-padded to multiples of this.
        latent_channels (int): C of the ``(B, C, H / stride, W / stride)``
            latent.
        num_streams (int): Entropy-coded streams per image (1, or 2 with a
            hyperprior).
        quantizer_name (str): Quantizer name, recorded in the fingerprint.
    """

    arch: str
    stride: int
    pad_multiple: int
    latent_channels: int
    num_streams: int
    quantizer_name: str

    def encode_latent(self, x):
        """``(B, 3, H, W)`` images in [0, 1] (padded) -> the exact quantized
        latent."""

    def synthesis(self, y_hat):
        """Quantized latent -> reconstruction ``(B, 3, H, W)``."""

    def compress(self, x):
        """Padded images -> ``dict(strings=[[bytes per image] per stream],
        ...)``."""

    def decompress_latent(self, strings, latent_hw):
        """Streams of one image and the latent's ``(h, w)`` -> its quantized
        latent (entropy decoding only; raises ``ValueError`` on a payload that
        does not decode)."""

    def update(self, scale_table=None, force=False, update_quantiles=False):
        """Rebuild the coding tables from the current parameters."""

    def aux_loss(self):
        """The entropy model's auxiliary loss (0 when it has none)."""

    def coding_state(self):
        """The tensors that define the bitstream (hashed into the
        fingerprint)."""


#: Every attribute and method of :class:`LatentCodec`, in declaration order.
LATENT_CODEC_MEMBERS = tuple(LatentCodec.__annotations__) + tuple(
    name for name, value in vars(LatentCodec).items()
    if callable(value) and not name.startswith('_'))


def missing_codec_members(module):
    """Names of the :class:`LatentCodec` members ``module`` lacks (empty when
    none)."""
    return [name for name in LATENT_CODEC_MEMBERS if not hasattr(module, name)]
