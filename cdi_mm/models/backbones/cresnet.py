"""cResNet: ResNet stages that take a compressed latent as input.

Torfason et al., "Towards Image Understanding from Deep Compression Without
Decoding", ICLR 2018. A cResNet is ResNet-50 without the root block (7x7 conv +
max-pool) and without conv2_x: a 224x224 image gives a 28x28xC latent, which
enters conv3_x directly.
"""
from mmpretrain.models.backbones.resnet import Bottleneck, ResNet

from cdi_mm.registry import MODELS


@MODELS.register_module()
class CResNet(ResNet):
    """cResNet-39/51/72 (registered for mmpretrain and mmseg).

    Stages conv3_x, conv4_x, conv5_x of bottleneck blocks with widths
    128/256/512 (x4 expansion); conv4_x is 6, 10 or 17 blocks deep. With
    ``strides=(1, 1, 1)`` and ``dilations=(1, 2, 4)`` it is the DeepLab ``-d``
    variant whose output keeps the latent resolution (output stride 8 relative
    to the image).

    Args:
        depth (int): 39, 51 or 72.
        in_channels (int): Latent channels C. Defaults to 32.
        base_channels (int): Bottleneck width of the first stage (128 in the
            paper; smaller for CPU-sized configs). Defaults to 128.
        strides (Sequence[int]): Stride of each stage. Defaults to (1, 2, 2).
        dilations (Sequence[int]): Dilation of each stage. Defaults to (1, 1,
            1).
        out_indices (Sequence[int]): Stages whose output is returned. Defaults
            to (2, ).
        **kwargs: Other arguments of :class:`mmpretrain.models.ResNet`
            (``frozen_stages``, ``norm_cfg``, ``norm_eval``, ``style``,
            ``with_cp``, ``init_cfg``, ...).

    Example:
        >>> import torch
        >>> model = CResNet(depth=51, in_channels=32).eval()
        >>> model(torch.rand(1, 32, 28, 28))[-1].shape
        torch.Size([1, 2048, 7, 7])
    """

    arch_settings = {
        39: (Bottleneck, (4, 6, 3)),
        51: (Bottleneck, (4, 10, 3)),
        72: (Bottleneck, (4, 17, 3)),
    }

    def __init__(self,
                 depth,
                 in_channels=32,
                 base_channels=128,
                 strides=(1, 2, 2),
                 dilations=(1, 1, 1),
                 out_indices=(2, ),
                 **kwargs):
        if depth not in self.arch_settings:
            raise KeyError(f'invalid depth {depth} for CResNet; choose one of '
                           f'{sorted(self.arch_settings)}')
        for name in ('deep_stem', 'stem_channels', 'num_stages'):
            if name in kwargs:
                raise TypeError(
                    f'CResNet has no root block; {name!r} is not an argument')
        if len(strides) != 3 or len(dilations) != 3:
            raise ValueError(f'CResNet has 3 stages; got strides={strides}, '
                             f'dilations={dilations}')
        super().__init__(
            depth=depth,
            in_channels=in_channels,
            stem_channels=in_channels,
            base_channels=base_channels,
            num_stages=3,
            strides=strides,
            dilations=dilations,
            out_indices=out_indices,
            **kwargs)
        self.in_channels = in_channels

    def _make_stem_layer(self, in_channels, stem_channels):
        """No root block: the latent enters conv3_x directly."""

    def _freeze_stages(self):
        for i in range(1, self.frozen_stages + 1):
            stage = getattr(self, f'layer{i}')
            stage.eval()
            for param in stage.parameters():
                param.requires_grad = False

    def train(self, mode=True):
        """As ResNet's, but returns ``self`` like ``nn.Module.train`` (so
        ``CResNet(...).eval()`` chains)."""
        super().train(mode)
        return self

    def forward(self, x):
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'CResNet expects a latent with {self.in_channels} channels, '
                f'got {x.shape[1]} (codec and backbone C differ?)')
        outs = []
        for i, layer_name in enumerate(self.res_layers):
            x = getattr(self, layer_name)(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
