# cResNet-51 (bottleneck widths / 4) for C=32 photo latents, initialised from
# the zoo's distilled student (issue #36, configs/distill: distilled from
# EfficientNet-Lite2 on unlabelled photos, the teacher's classifier reused,
# SimKD); its head is left behind. One block for the configs that fine-tune
# it on labelled latents:
#   model = dict(backbone={{_base_.distilled_cresnet51_w32_c32}})
distilled_cresnet51_w32_c32 = dict(
    type='CResNet',
    depth=51,
    in_channels=32,
    base_channels=32,
    init_cfg=dict(
        type='Pretrained',
        checkpoint='checkpoints/cresnet51-w32_c32-preencoded_lite2-simkd_'
        '1xb32-4k_activity-photos_20261207-e427260b.pth',
        prefix='backbone'))
