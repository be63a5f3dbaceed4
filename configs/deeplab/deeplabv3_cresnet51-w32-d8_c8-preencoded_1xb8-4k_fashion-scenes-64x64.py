# The same segmenter on pre-encoded latents: .cdi images + the untouched PNG
# masks, cropped and flipped together on the latent grid (8x8 latent = 64x64
# mask).
#   python tools/compress_dataset.py \
#       checkpoints/torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_*.pth \
#       data/fashion_scenes data/fashion_scenes_c8
_base_ = ['./deeplabv3_cresnet51-w32-d8_c8_1xb8-4k_fashion-scenes-64x64.py']
# the data set's manifest (cdi_codec.json, written by compress_dataset.py)
# names the codec, so the pipelines name none; the on-the-fly base's codec is
# not used here
codec_checkpoint = None
latent_root = 'data/fashion_scenes_c8'
model = dict(
    # latents are neither normalised nor padded to the image crop size
    # (size_divisor=1: only to the largest latent of the batch;
    # LatentRandomCrop makes them equal)
    data_preprocessor=dict(
        _delete_=True,
        type='SegDataPreProcessor',
        size_divisor=1,
        pad_val=0,
        seg_pad_val=255),
    backbone=dict(
        _delete_=True,
        type='CResNet',
        depth=51,
        in_channels=8,
        base_channels=32,
        strides=(1, 1, 1),
        dilations=(1, 2, 4),
        out_indices=(1, 2),
        norm_cfg={{_base_.norm_cfg}}))
train_pipeline = [
    dict(type='LoadLatentFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='LatentRandomCrop', crop_size=(8, 8)),
    dict(type='LatentRandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadLatentFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    dataset=dict(
        data_root=latent_root, img_suffix='.cdi', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        data_root=latent_root, img_suffix='.cdi', pipeline=test_pipeline))
test_dataloader = val_dataloader
custom_hooks = [dict(type='CodecProvenanceHook')
                ]  # refuses latents of another codec
