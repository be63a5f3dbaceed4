# cResNet-51 on the C=32 photo latents fine-tuned from the distilled backbone
# (issue #36: ImageNet knowledge from EfficientNet-Lite2 on unlabelled photos,
# never these images) instead of random weights; same schedule and data as
# cresnet51-w32_c32-preencoded_1xb32-2k_photo-objects.py.
_base_ = [
    './cresnet51-w32_c32-preencoded_1xb32-2k_photo-objects.py',
    '../_base_/models/cresnet51-w32-c32-distilled.py'
]
model = dict(backbone={{_base_.distilled_cresnet51_w32_c32}})
