# The dilated cResNet-51-d at bottleneck widths / 4 (32/64/128; paper:
# 128/256/512) fed stride-8 C=8 latents: no stride after the stem (output
# stride 8 relative to the image), dilations 2 and 4 in the last two stages,
# which it outputs (256 and 512 channels). One block for the segmenters that
# use it, on the fly (inside a CodecBackbone) or on pre-encoded latents:
#   model = dict(backbone={{_base_.cresnet51_w32_d8}})
cresnet51_w32_d8 = dict(
    type='CResNet',
    depth=51,
    in_channels=8,
    base_channels=32,
    strides=(1, 1, 1),
    dilations=(1, 2, 4),
    out_indices=(1, 2),
    norm_cfg=dict(type='SyncBN', requires_grad=True))
