# cResNet-51 on the C=32 latent (0.635 bpp) of the ImageNet-trained codec,
# encoded on the fly from mmpretrain's standard ImageNet pipeline (224 crops ->
# 28x28x32 latents); paper settings otherwise (mmpretrain's ImageNet ResNet
# schedule, 8 GPUs x 32).
_base_ = [
    'mmpretrain::_base_/datasets/imagenet_bs32.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py',
    'mmpretrain::_base_/default_runtime.py',
]
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
codec_checkpoint = 'work_dirs/torfason2018_c32_ste_1xb30-300k_in1k/iter_300000.pth'  # noqa: E501
# the codec takes RGB in [0, 1]; no ImageNet mean/std on the latent
data_preprocessor = dict(
    num_classes=1000, mean=[0.0] * 3, std=[255.0] * 3, to_rgb=True)
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='CodecBackbone',
        latent_stride=8,  # the cResNets are built for stride-8 latents
        stem=dict(
            type='CodecStem',
            codec_checkpoint=codec_checkpoint,
            output='latent'),
        backbone=dict(type='CResNet', depth=51, in_channels=32)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=2048,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
# coding tables kept exact; checkpoints record the input codec and refuse
# others
custom_hooks = [
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
