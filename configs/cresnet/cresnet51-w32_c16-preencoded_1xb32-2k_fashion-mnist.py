# cResNet-51 (widths / 4) on the same pre-encoded C=16 latents.
_base_ = ['./cresnet39-w32_c16-preencoded_1xb32-2k_fashion-mnist.py']
model = dict(backbone=dict(depth=51))
