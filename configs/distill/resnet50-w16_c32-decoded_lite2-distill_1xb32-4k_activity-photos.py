# The decoded-image twin of
# cresnet51-w32_c32-preencoded_lite2-distill_1xb32-4k_activity-photos.py: the
# same activity-photo crops as the C=32 photo codec decodes them, same
# teacher, schedule and budget; held-out views decoded the same way.
_base_ = ['./resnet50-w16_c32-decoded_lite2-distill_1xb32-4k_object-photos.py']
train_dataloader = dict(
    dataset=dict(data_root='data/activity_distill_c32-decoded'))
val_dataloader = dict(
    dataset=dict(data_root='data/distill_heldout_activity_c32-decoded'))
test_dataloader = val_dataloader
