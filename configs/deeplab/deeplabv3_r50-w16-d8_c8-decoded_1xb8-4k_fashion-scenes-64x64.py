# Baseline: DeepLab on a dilated ResNet-50-d (mmseg ResNetV1c, widths / 4) on
# the images decoded by the same C=8 codec.
_base_ = ['./deeplabv3_cresnet51-w32-d8_c8_1xb8-4k_fashion-scenes-64x64.py']
model = dict(
    backbone=dict(
        stem=dict(output='reconstruction'),
        backbone=dict(
            _delete_=True,
            type='ResNetV1c',
            depth=50,
            stem_channels=16,
            base_channels=16,
            strides=(1, 2, 1, 1),
            dilations=(1, 1, 2, 4),
            out_indices=(2, 3),
            norm_cfg={{_base_.norm_cfg}})),
    decode_head=dict(in_channels=512),
    auxiliary_head=dict(in_channels=256))
