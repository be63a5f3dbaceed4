# DeepLab on the dilated cResNet-51-d at C=32 (0.635 bpp), paper widths, on VOC
# 2012 + SBD aug (10,582 / 1,449), 512x512 crops, codec frozen, backbone
# initialised from the classification checkpoint (Torfason et al. 2018, Sec.
# 4.2); the paper's DeepLab-v2 ASPP (ASPPV2Head: four 3x3 convolutions, rates
# 6/12/18/24, straight to the class scores, summed) on conv5_x (output stride 8
# relative to the image: 64x64 features for 512 crops), FCN auxiliary head on
# conv4_x. mmseg's schedule (20k iterations, 4 GPUs x 4). Not run here (no VOC,
# no GPU).
_base_ = ['mmseg::deeplabv3/deeplabv3_r50-d8_4xb4-20k_voc12aug-512x512.py']
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
codec_checkpoint = 'work_dirs/torfason2018_c32_ste_1xb30-300k_in1k/iter_300000.pth'  # noqa: E501
classifier_checkpoint = 'work_dirs/cresnet51_c32_8xb32_in1k/epoch_100.pth'
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    pretrained=None,
    # the codec takes RGB in [0, 1]; crops are padded to 512x512 images
    data_preprocessor=dict(mean=[0.0] * 3, std=[255.0] * 3),
    backbone=dict(
        _delete_=True,
        type='CodecBackbone',
        latent_stride=8,
        stem=dict(
            type='CodecStem',
            codec_checkpoint=codec_checkpoint,
            output='latent'),
        backbone=dict(
            type='CResNet',
            depth=51,
            in_channels=32,
            strides=(1, 1, 1),
            dilations=(1, 2, 4),
            out_indices=(1, 2),
            norm_cfg=norm_cfg),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=classifier_checkpoint,
            prefix='backbone.')),
    decode_head=dict(
        type='ASPPV2Head',
        in_channels=2048,
        in_index=1,
        dilations=(6, 12, 18, 24)),
    auxiliary_head=dict(in_channels=1024, in_index=0))
# coding tables kept exact; checkpoints record the input codec and refuse
# others
custom_hooks = [
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
