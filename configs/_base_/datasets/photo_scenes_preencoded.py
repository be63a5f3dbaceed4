# Photo scenes pre-encoded by a photo codec: .cdi latents (32x32xC for 256x256
# scenes) with the untouched PNG masks, 28x28 latent crops (= the 224x224 mask
# crops of photo_scenes.py). The data set's manifest (cdi_codec.json) names the
# codec:
#   python tools/compress_dataset.py \
#       CODEC_CKPT data/photo_scenes data/photo_scenes_c8
_base_ = ['./photo_scenes.py', './segmentation_latents.py']
data_root = 'data/photo_scenes_c8'
train_pipeline = [
    *_base_.load_latent_and_mask,
    dict(type='LatentRandomCrop', crop_size=(28, 28)), *_base_.flip_and_pack
]
test_pipeline = _base_.latent_test_pipeline
train_dataloader = dict(
    dataset=dict(
        data_root=data_root, img_suffix='.cdi', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root, img_suffix='.cdi', pipeline=test_pipeline))
test_dataloader = dict(
    dataset=dict(
        data_root=data_root, img_suffix='.cdi', pipeline=test_pipeline))
# latents of another codec than the data set's manifest names are refused
custom_hooks = [dict(type='CodecProvenanceHook')]
