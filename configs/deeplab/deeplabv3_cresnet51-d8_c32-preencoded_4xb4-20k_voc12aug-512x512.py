# The C=32 cResNet-51-d segmenter on pre-encoded VOC 2012 aug: .cdi latents +
# the untouched PNG masks; the synthesis transform never runs and the encoder
# only once, offline:
#   python tools/compress_dataset.py \
#       work_dirs/torfason2018_c32_ste_1xb30-300k_in1k/iter_300000.pth \
#       data/VOCdevkit/VOC2012 data/VOCdevkit/VOC2012_c32
# 64x64 latent crops = 512x512 mask crops at the matching offset, flipped
# together. No random rescaling or photometric distortion (they act on pixels;
# the on-the-fly config keeps them). Latents are neither normalised nor padded
# to the image crop size.
_base_ = [
    './deeplabv3_cresnet51-d8_c32_4xb4-20k_voc12aug-512x512.py',
    '../_base_/datasets/segmentation_latents.py'
]
data_root = 'data/VOCdevkit/VOC2012_c32'
model = dict(
    data_preprocessor=dict(
        _delete_=True,
        type='SegDataPreProcessor',
        size_divisor=1,
        pad_val=0,
        seg_pad_val=255),
    # the on-the-fly config's CResNet without its codec stem
    backbone=dict(
        _base_.model.backbone.backbone,
        _delete_=True,
        # the classifier's CResNet sits inside its CodecBackbone
        init_cfg=dict(
            type='Pretrained',
            checkpoint={{_base_.classifier_checkpoint}},
            prefix='backbone.backbone.')))
train_pipeline = [
    *_base_.load_latent_and_mask,
    dict(type='LatentRandomCrop', crop_size=(64, 64)), *_base_.flip_and_pack
]
test_pipeline = _base_.latent_test_pipeline
# VOC 2012 train + SBD aug, both as latents
voc_latents = dict(
    type='PascalVOCDataset',
    data_root=data_root,
    img_suffix='.cdi',
    pipeline=train_pipeline)
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(
            voc_latents,
            data_prefix=dict(
                img_path='JPEGImages', seg_map_path='SegmentationClass'),
            ann_file='ImageSets/Segmentation/train.txt'),
        dict(
            voc_latents,
            data_prefix=dict(
                img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
            ann_file='ImageSets/Segmentation/aug.txt')
    ]))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root, img_suffix='.cdi', pipeline=test_pipeline))
test_dataloader = val_dataloader
