# Baseline: the ResNet-50-d DeepLab-v2 segmenter on images decoded by the C=32 codec.
_base_ = ['./deeplabv2_r50-w16-d8_c8-decoded_1xb8-4k_photo-scenes.py']
model = dict(backbone=dict(stem=dict(
    checkpoint='checkpoints/factorized-prior-s8-n128_c32_eb_1xb8-200k_photos_20261128-860e9866.pth')))
