# ResNet-50 (widths / 4) on the original 64x64 images: the reference without
# compression (the same schedule as the codec-fed classifiers, the data set's
# mean/std).
_base_ = ['../cresnet/cresnet39-w32_c8_1xb32-2k_fashion-mnist.py']
model = dict(
    data_preprocessor=dict(mean=[72.9] * 3, std=[90.0] * 3, to_rgb=False),
    backbone=dict(
        _delete_=True,
        type='ResNet',
        depth=50,
        stem_channels=16,
        base_channels=16),
    head=dict(in_channels=512))
custom_hooks = []
