# Reference: ResNet-50 (widths / 4) on the original photo objects, no codec (the same
# schedule as the codec-fed classifiers; ImageNet mean/std).
_base_ = ['./cresnet39-w32_c8_1xb32-4k_photo-objects.py']
model = dict(
    data_preprocessor=dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]),
    backbone=dict(_delete_=True, type='ResNet', depth=50, stem_channels=16,
                  base_channels=16))
custom_hooks = []
