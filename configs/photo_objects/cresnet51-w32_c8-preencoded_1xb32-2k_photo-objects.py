# cResNet-51 on the C=8 photo latents (pre-encoded).
_base_ = ['./cresnet39-w32_c8-preencoded_1xb32-2k_photo-objects.py']
model = dict(backbone=dict(depth=51))
