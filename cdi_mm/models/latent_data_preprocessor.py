"""The data preprocessor that turns loaded latent symbols into latent values on
the model's device."""
import torch
from mmpretrain.models.utils import ClsDataPreprocessor

from cdi_mm.registry import MODELS

__all__ = ['LatentClsDataPreprocessor', 'dequantize_inputs']


def dequantize_inputs(inputs, data_samples, device):
    """``inputs`` (a batch tensor or a list of ``(C, h, w)`` tensors) of
    integer symbols -> float32 latent ``(B, C, h, w)`` on ``device``, with the
    ``latent_dequant`` (:class:`~cdi_mm.codecs.SymbolDequantizer`) the loading
    transform put in every sample's metainfo. Latents of different sizes come
    back as a list (the stock preprocessor pads them, as it pads float
    latents). Floating-point inputs pass unchanged.

    Raises:
        ValueError: Samples without a dequantizer or with different ones.
    """
    first = inputs if isinstance(inputs, torch.Tensor) else inputs[0]
    if first.is_floating_point():
        return inputs
    dequantizers = {
        sample.metainfo.get('latent_dequant')
        for sample in data_samples or ()
    }
    if len(dequantizers) != 1 or None in dequantizers:
        raise ValueError(
            'integer latent symbols need the latent_dequant of every sample '
            "(LoadLatentSymbols sets it; list it in PackInputs' meta_keys), "
            f'and one for the whole batch; got {len(dequantizers)} distinct')
    dequantizer = dequantizers.pop()
    if not isinstance(inputs, torch.Tensor):
        if len({tuple(x.shape) for x in inputs}) > 1:
            return [dequantizer(x.to(device)) for x in inputs]
        inputs = torch.stack(inputs)
    return dequantizer(inputs.to(device, non_blocking=True))


@MODELS.register_module()
class LatentClsDataPreprocessor(ClsDataPreprocessor):
    """mmpretrain's ``ClsDataPreprocessor`` that first maps integer latent
    symbols (from ``LoadLatentSymbols``) to latent values, batched on the
    model's device (:func:`dequantize_inputs`); float inputs (images, or
    latents from ``LoadLatentFromFile``) are processed exactly as the stock
    preprocessor does. Arguments as ``ClsDataPreprocessor``.
    """

    def forward(self, data, training=False):
        data = dict(data)
        data['inputs'] = dequantize_inputs(data['inputs'],
                                           data.get('data_samples'),
                                           self.device)
        return super().forward(data, training)
