# The decoded-image twin of
# cresnet51-w32_c32-preencoded_lite2-distill_1xb32-4k_object-photos.py:
# ResNet-50 (widths / 4) on the same object-photo crops as the C=32 photo codec
# decodes them, same teacher, schedule and budget.
_base_ = [
    '../_base_/models/imagenet_student.py',
    '../_base_/schedules/distill_4k.py',
    '../_base_/datasets/teacher_labelled_images.py'
]
model = dict(
    data_preprocessor=dict(
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(type='ResNet', depth=50, stem_channels=16, base_channels=16))
train_dataloader = dict(
    dataset=dict(data_root='data/object_distill_c32-decoded'))
