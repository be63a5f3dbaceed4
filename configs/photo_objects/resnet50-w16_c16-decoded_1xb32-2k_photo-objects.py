# Baseline: the same ResNet-50 on the photo objects as the C=16 photo codec
# decodes them (compress_dataset.py, then decompress_dataset.py: PNGs of the
# reconstructions).
_base_ = ['./resnet50-w16_rgb_1xb32-2k_photo-objects.py']
data_root = 'data/photo_objects_c16-decoded'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
