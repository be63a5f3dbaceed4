# Baseline: the same segmenter on the photo scenes as the C=32 photo codec
# decodes them (compress_dataset.py, then decompress_dataset.py: PNG
# reconstructions, masks copied).
_base_ = ['./deeplabv2_r50-w16-d8_rgb_1xb8-2k_photo-scenes.py']
data_root = 'data/photo_scenes_c32-decoded'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
