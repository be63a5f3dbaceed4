# cResNet-39 on the C=8 latents (0.098 bpp) of the shipped photo codec,
# pre-encoded: 28x28x8 .cdi latents as in the paper, entropy decoding only (no
# normalisation of the latent). CPU-sized bottleneck widths 32/64/128 (paper:
# 128/256/512).
_base_ = [
    '../_base_/models/photo_objects_classifier.py',
    '../_base_/schedules/photo_objects_2k.py',
    '../_base_/datasets/photo_objects_preencoded.py'
]
model = dict(
    data_preprocessor=dict(type='LatentClsDataPreprocessor'),
    backbone=dict(type='CResNet', depth=39, in_channels=8, base_channels=32))
