# Reference: the paper's segmenter on the original photo scenes: DeepLab-v2
# ASPP (ASPPV2Head) on a dilated ResNet-50-d (widths / 4; the plain 7x7 stem of
# the photo-object ResNet-50 that initialises it, see
# plans/photo_operating_points.yml). 224x224 crops give 28x28 features at
# output stride 8, as the latent does; whole 256x256 scenes at test.
_base_ = [
    '../_base_/models/deeplabv2_photo_scenes.py',
    '../_base_/schedules/photo_scenes_2k.py',
    '../_base_/datasets/photo_scenes.py'
]
model = dict(
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size=(224, 224)),
    backbone=dict(
        type='PaperSegResNet',
        depth=50,
        stem_channels=16,
        base_channels=16,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        out_indices=(2, 3)))
