# cResNet-39 on the C=16 latent of the shipped photo codec (0.33 bpp).
_base_ = ['./cresnet39-w32_c8_1xb32-4k_photo-objects.py']
model = dict(backbone=dict(
    stem=dict(checkpoint='checkpoints/factorized-prior-s8-n96_c16_eb_1xb8-200k_photos_20261128-50d463a8.pth'),
    backbone=dict(in_channels=16)))
