# A longer ("patient", Beyer et al. 2022) distillation schedule: 4,000
# iterations of 32 crops, the 2k schedule's optimizer, warm-up and cosine
# decay stretched to twice the length.
_base_ = ['./distill_2k.py']
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, end=200),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=200, T_max=3800)
]
train_cfg = dict(max_iters=4000)
