# cResNet-51 on the C=32 photo latents (pre-encoded with the C=32 photo codec).
_base_ = ['./cresnet51-w32_c8-preencoded_1xb32-2k_photo-objects.py']
model = dict(backbone=dict(in_channels=32))
data_root = 'data/photo_objects_c32'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
