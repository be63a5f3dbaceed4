# Reference: the same dilated ResNet-50-d and DeepLab-v2 head on the original images.
_base_ = ['./deeplabv2_r50-w16-d8_c8-decoded_1xb8-4k_photo-scenes.py']
model = dict(
    data_preprocessor=dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]),
    backbone=dict(
        _delete_=True, type='PaperSegResNet', depth=50, stem_channels=16,
        base_channels=16, strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4), out_indices=(2, 3),
        norm_cfg={{_base_.norm_cfg}}))
custom_hooks = []
