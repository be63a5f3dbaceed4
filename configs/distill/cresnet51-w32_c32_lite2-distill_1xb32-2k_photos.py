# The distilled cResNet-51 for photos: the C=32 photo codec encodes each image
# on the fly (CodecBackbone), then the student names 1,000 ImageNet classes.
# Its weights are those of the pre-encoded student
# (cresnet51-w32_c32-preencoded_lite2-distill_1xb32-2k_photos.py, same
# numbers) with the codec inside, made by
#   python tools/model_converters/latent_to_image_model.py THIS_CONFIG \
#       PREENCODED_CHECKPOINT OUT.pth
# A photo is seen as in the held-out evaluation: short side to 224, centre
# 224x224 crop. Trains too, on the crops themselves (data/distill PNGs).
_base_ = ['./resnet50-w16_c32-decoded_lite2-distill_1xb32-2k_photos.py']
codec_checkpoint = (
    'checkpoints/'
    'factorized-prior-s8-n96_c32_eb_1xb8-200k_photos_20261128-28a01073.pth')
model = dict(
    # the codec takes RGB in [0, 1]; no 3-channel mean/std normalisation
    data_preprocessor=dict(mean=[0.0] * 3, std=[255.0] * 3, to_rgb=True),
    backbone=dict(
        _delete_=True,
        type='CodecBackbone',
        latent_stride=8,
        stem=dict(
            type='CodecStem',
            codec_checkpoint=codec_checkpoint,
            output='latent'),
        backbone=dict(
            type='CResNet', depth=51, in_channels=32, base_channels=32)))
test_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='ResizeEdge', scale=224, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(data_root='data/distill'))
val_dataloader = dict(
    dataset=dict(data_root='data/distill_heldout', pipeline=test_pipeline))
test_dataloader = val_dataloader
custom_hooks = [
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
