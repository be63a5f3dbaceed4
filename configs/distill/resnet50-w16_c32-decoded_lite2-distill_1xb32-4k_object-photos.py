# The decoded-image twin of
# cresnet51-w32_c32-preencoded_lite2-distill_1xb32-4k_object-photos.py: the
# same object-photo crops as the C=32 photo codec decodes them, same budget.
_base_ = ['./resnet50-w16_c32-decoded_lite2-distill_1xb32-2k_photos.py']
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, end=200),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=200, T_max=3800)
]
train_cfg = dict(max_iters=4000)
train_dataloader = dict(
    dataset=dict(data_root='data/object_distill_c32-decoded'))
