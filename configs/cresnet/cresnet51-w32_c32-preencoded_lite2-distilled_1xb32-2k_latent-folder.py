# Your own data, the default start: cResNet-51 (CPU widths) on your data
# pre-encoded at C=32 (the C=32 photo codec), its backbone initialised from
# the zoo's distilled student (issue #36) instead of random weights. Inherit it
# as cresnet39-w32_c8-preencoded_1xb32-2k_latent-folder.py (data root, class
# count); README: "Your own data".
_base_ = [
    './cresnet39-w32_c8-preencoded_1xb32-2k_latent-folder.py',
    '../_base_/models/cresnet51-w32-c32-distilled.py'
]
model = dict(backbone={{_base_.distilled_cresnet51_w32_c32}})
