# cResNet-51 on the C=32 latent of the shipped photo codec.
_base_ = ['./cresnet39-w32_c32_1xb32-4k_photo-objects.py']
model = dict(backbone=dict(backbone=dict(depth=51)))
