# cResNet-39 on the C=32 latent of the shipped photo codec (0.635 bpp).
_base_ = ['./cresnet39-w32_c8_1xb32-4k_photo-objects.py']
model = dict(backbone=dict(
    stem=dict(checkpoint='checkpoints/factorized-prior-s8-n128_c32_eb_1xb8-200k_photos_20261128-860e9866.pth'),
    backbone=dict(in_channels=32)))
