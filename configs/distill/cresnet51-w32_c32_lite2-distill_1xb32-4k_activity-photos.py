# The distilled cResNet-51 of the activity-photo run for photos: the C=32
# photo codec encodes each photo on the fly, then the student names 1,000
# ImageNet classes. Its weights are those of the pre-encoded student
# (cresnet51-w32_c32-preencoded_lite2-distill_1xb32-4k_activity-photos.py,
# same numbers) with the codec inside (latent_to_image_model.py); evaluated on
# the held-out activity views as PNGs.
_base_ = ['./cresnet51-w32_c32_lite2-distill_1xb32-2k_photos.py']
train_dataloader = dict(dataset=dict(data_root='data/activity_distill'))
val_dataloader = dict(dataset=dict(data_root='data/distill_heldout_activity'))
test_dataloader = val_dataloader
