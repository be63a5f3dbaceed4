# cResNet-51 on the C=16 photo latents (pre-encoded with the C=16 photo codec).
_base_ = ['./cresnet51-w32_c8-preencoded_1xb32-2k_photo-objects.py']
model = dict(backbone=dict(in_channels=16))
data_root = 'data/photo_objects_c16'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
