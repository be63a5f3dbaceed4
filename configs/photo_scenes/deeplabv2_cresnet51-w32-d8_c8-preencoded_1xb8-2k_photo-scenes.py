# The paper's segmenter on latents: DeepLab-v2 ASPP (ASPPV2Head) on the dilated
# cResNet-51-d fed the pre-encoded C=8 latents of the photo codec (28x28 latent
# crops, whole 32x32 latents at test). CPU-sized widths: those of cResNet-51
# w32 on photo objects, whose checkpoint initialises the backbone
# (plans/photo_operating_points.yml).
_base_ = [
    '../_base_/models/deeplabv2_photo_scenes.py',
    '../_base_/models/cresnet51-w32-d8.py',
    '../_base_/schedules/photo_scenes_2k.py',
    '../_base_/datasets/photo_scenes_preencoded.py'
]
model = dict(
    # latents are neither normalised nor padded to an image size
    # (size_divisor=1)
    data_preprocessor=dict(
        type='SegDataPreProcessor', size_divisor=1, pad_val=0,
        seg_pad_val=255),
    backbone={{_base_.cresnet51_w32_d8}})
