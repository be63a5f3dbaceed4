# cResNet-51 on C=32 latents distilled on object photos
# (tools/prepare_data.py object-photos: 383 stamps of every photographed kind
# on the pool's training photos, photo-objects' val objects never among them)
# for twice the 2k schedule (warm-up and cosine stretched); same model, teacher
# and held-out views as the 2k photos run.
_base_ = ['./cresnet51-w32_c32-preencoded_lite2-distill_1xb32-2k_photos.py']
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, end=200),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=200, T_max=3800)
]
train_cfg = dict(max_iters=4000)
train_dataloader = dict(dataset=dict(data_root='data/object_distill_c32'))
