# The decoded-image twin of the distilled cResNet-51: ResNet-50 (widths / 4)
# on the same crops as the C=32 photo codec decodes them, same teacher,
# schedule and budget.
_base_ = [
    '../_base_/models/imagenet_student.py',
    '../_base_/schedules/distill_2k.py',
    '../_base_/datasets/teacher_labelled_images.py'
]
model = dict(
    data_preprocessor=dict(
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(type='ResNet', depth=50, stem_channels=16, base_channels=16))
