# DeepLab (ASPP, the paper's rates 6/12/18/24) on the dilated cResNet-51-d, fed
# the demo codec's C=8 latent encoded on the fly. CPU-sized: bottleneck widths
# / 4 (those of the ResNet-50-d baseline), 64x64 crops of the 128x128 fashion
# scenes (tools/prepare_data.py fashion-scenes).
_base_ = [
    '../_base_/models/seg_runtime.py', '../_base_/datasets/fashion_scenes.py'
]
# the shipped demo codec (model zoo); `make demo` trains its own and uses that
# instead
codec_checkpoint = (
    'checkpoints/'
    'torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_20261126-46d5659d.pth')
norm_cfg = dict(
    type='SyncBN', requires_grad=True)  # BN on CPU (tools/train.py)
model = dict(
    type='EncoderDecoder',
    # the codec takes RGB in [0, 1]; pad crops to 64x64 (images, not latents)
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[0.0] * 3,
        std=[255.0] * 3,
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size=(64, 64)),
    backbone=dict(
        type='CodecBackbone',
        latent_stride=8,  # the cResNets are built for stride-8 latents
        stem=dict(
            type='CodecStem',
            codec_checkpoint=codec_checkpoint,
            output='latent'),
        backbone=dict(
            type='CResNet',
            depth=51,
            in_channels=8,
            base_channels=32,
            strides=(1, 1, 1),
            dilations=(1, 2, 4),
            out_indices=(1, 2),
            norm_cfg=norm_cfg)),
    decode_head=dict(
        type='ASPPHead',
        in_channels=512,
        in_index=1,
        channels=64,
        dilations=(6, 12, 18, 24),
        dropout_ratio=0.1,
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    auxiliary_head=dict(
        type='FCNHead',
        in_channels=256,
        in_index=0,
        channels=32,
        num_convs=1,
        concat_input=False,
        dropout_ratio=0.1,
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-4,
        power=0.9,
        begin=0,
        end=4000,
        by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=4000, val_interval=1000)
# coding tables kept exact; checkpoints record the input codec and refuse
# others
custom_hooks = [
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
