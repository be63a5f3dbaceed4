# cResNet-51 on C=32 latents distilled on activity photos
# (tools/prepare_data.py activity-photos: 310 photographs of animals, fish,
# tools, monuments and objects from Debian's gcompris-qt-data, with the pool's
# 38 training photos) and gentler crops (area >= 0.25, CutMix 0.1); held out:
# the other 77 activity photos and the pool's 10 validation photos. Same
# model, teacher and 4k schedule as the object-photos run.
_base_ = [
    './cresnet51-w32_c32-preencoded_lite2-distill_1xb32-4k_object-photos.py'
]
train_dataloader = dict(dataset=dict(data_root='data/activity_distill_c32'))
val_dataloader = dict(
    dataset=dict(data_root='data/distill_heldout_activity_c32'))
test_dataloader = val_dataloader
