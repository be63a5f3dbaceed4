# Fashion scenes pre-encoded by a fashion codec: .cdi latents (16x16xC for
# 128x128 scenes) with the untouched PNG masks, 8x8 latent crops (= the 64x64
# mask crops of fashion_scenes.py). The data set's manifest (cdi_codec.json)
# names the codec:
#   python tools/compress_dataset.py \
#       checkpoints/torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_*.pth \
#       data/fashion_scenes data/fashion_scenes_c8
_base_ = ['./fashion_scenes.py', './segmentation_latents.py']
data_root = 'data/fashion_scenes_c8'
train_pipeline = [
    *_base_.load_latent_and_mask,
    dict(type='LatentRandomCrop', crop_size=(8, 8)), *_base_.flip_and_pack
]
test_pipeline = _base_.latent_test_pipeline
train_dataloader = dict(
    dataset=dict(
        data_root=data_root, img_suffix='.cdi', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root, img_suffix='.cdi', pipeline=test_pipeline))
test_dataloader = val_dataloader
# latents of another codec than the data set's manifest names are refused
custom_hooks = [dict(type='CodecProvenanceHook')]
