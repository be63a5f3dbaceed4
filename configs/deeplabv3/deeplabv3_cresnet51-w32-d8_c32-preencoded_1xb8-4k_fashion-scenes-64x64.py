# The pre-encoded cResNet-51-d segmenter at C=32, the fashion codec of that operating point:
#   python tools/compress_dataset.py \
#       work_dirs/torfason2018-n32_c32_ste_1xb32-600_fashion-mnist/iter_600.pth \
#       data/fashion_scenes data/fashion_scenes_c32
_base_ = ['./deeplabv3_cresnet51-w32-d8_c8-preencoded_1xb8-4k_fashion-scenes-64x64.py']
codec_checkpoint = 'work_dirs/torfason2018-n32_c32_ste_1xb32-600_fashion-mnist/iter_600.pth'
latent_root = 'data/fashion_scenes_c32'
model = dict(backbone=dict(in_channels=32))
train_pipeline = [
    dict(type='LoadLatentFromFile', codec_checkpoint=codec_checkpoint),
    dict(type='LoadAnnotations'),
    dict(type='LatentRandomCrop', crop_size=(8, 8)),
    dict(type='LatentRandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadLatentFromFile', codec_checkpoint=codec_checkpoint),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(dataset=dict(data_root=latent_root, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=latent_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
