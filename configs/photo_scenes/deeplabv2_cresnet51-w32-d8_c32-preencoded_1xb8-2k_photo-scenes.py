# The same segmenter on the pre-encoded C=32 latents of the C=32 photo codec.
_base_ = ['./deeplabv2_cresnet51-w32-d8_c8-preencoded_1xb8-2k_photo-scenes.py']
model = dict(backbone=dict(in_channels=32))
data_root = 'data/photo_scenes_c32'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
