# cResNet-51 (widths / 4) on the demo codec's C=8 latent, encoded on the fly;
# the separately trained classifier that joint training starts from
# (configs/joint/).
_base_ = ['./cresnet39-w32_c8_1xb32-2k_fashion-mnist.py']
model = dict(backbone=dict(backbone=dict(depth=51)))
