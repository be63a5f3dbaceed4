# Reference: the same dilated ResNet-50-d on the original images (no codec).
_base_ = ['./deeplabv3_r50-w16-d8_c8-decoded_1xb8-4k_fashion-scenes-64x64.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNetV1c',
        depth=50,
        stem_channels=16,
        base_channels=16,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        out_indices=(2, 3),
        norm_cfg={{_base_.norm_cfg}}))
custom_hooks = []
