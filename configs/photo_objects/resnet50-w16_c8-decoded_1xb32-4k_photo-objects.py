# Baseline: ResNet-50 (widths / 4) on photo objects decoded by the same C=8 codec.
_base_ = ['./cresnet39-w32_c8_1xb32-4k_photo-objects.py']
model = dict(backbone=dict(
    stem=dict(output='reconstruction'),
    backbone=dict(_delete_=True, type='ResNet', depth=50, stem_channels=16,
                  base_channels=16)))
