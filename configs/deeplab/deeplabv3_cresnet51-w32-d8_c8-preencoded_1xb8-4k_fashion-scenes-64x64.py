# The same segmenter on pre-encoded latents: .cdi images + the untouched PNG
# masks, cropped and flipped together on the latent grid (8x8 latent = 64x64
# mask). The data set's manifest (cdi_codec.json, written by
# compress_dataset.py) names the codec, so the pipelines name none.
_base_ = [
    '../_base_/models/deeplabv3_fashion_scenes.py',
    '../_base_/models/cresnet51-w32-d8.py',
    '../_base_/schedules/fashion_scenes_4k.py',
    '../_base_/datasets/fashion_scenes_preencoded.py'
]
model = dict(
    # latents are neither normalised nor padded to the image crop size
    # (size_divisor=1: only to the largest latent of the batch;
    # LatentRandomCrop makes them equal)
    data_preprocessor=dict(
        type='SegDataPreProcessor', size_divisor=1, pad_val=0,
        seg_pad_val=255),
    backbone={{_base_.cresnet51_w32_d8}})
