# Reference: ResNet-50 (widths / 4) on the original 224x224 photo objects.
_base_ = [
    '../_base_/models/photo_objects_classifier.py',
    '../_base_/schedules/photo_objects_2k.py',
    '../_base_/datasets/photo_objects.py'
]
model = dict(
    data_preprocessor=dict(
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(type='ResNet', depth=50, stem_channels=16, base_channels=16))
