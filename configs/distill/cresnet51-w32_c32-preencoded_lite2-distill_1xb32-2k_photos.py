# cResNet-51 on the C=32 latents of the shipped photo codec, distilled from
# EfficientNet-Lite2 (ImageNet-1k) on teacher-labelled crops of unlabelled
# photos: a compressed-domain classifier that names 1,000 ImageNet classes.
# CPU-sized widths 32/64/128 (paper: 128/256/512); the decoded-image twin is
# resnet50-w16_c32-decoded_lite2-distill_1xb32-2k_photos.py.
_base_ = [
    '../_base_/models/imagenet_student.py',
    '../_base_/schedules/distill_2k.py',
    '../_base_/datasets/teacher_labelled_latents.py'
]
model = dict(
    data_preprocessor=dict(type='LatentClsDataPreprocessor'),
    backbone=dict(type='CResNet', depth=51, in_channels=32, base_channels=32))
