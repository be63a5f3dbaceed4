# Tiny segmenter for tests: dilated narrow cResNet-39 + ASPP on 64x64
# fashion-scene crops.
_base_ = [
    '../../../configs/_base_/models/seg_runtime.py',
    '../../../configs/_base_/datasets/fashion_scenes.py',
]
norm_cfg = dict(type='SyncBN', requires_grad=True)  # CPU runs switch it to BN
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[110.0, 110.0, 110.0],
        std=[60.0, 60.0, 60.0],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size=(64, 64)),
    backbone=dict(
        type='CResNet',
        depth=39,
        in_channels=3,
        base_channels=4,
        strides=(1, 1, 1),
        dilations=(1, 2, 4),
        out_indices=(1, 2),
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='ASPPHead',
        in_channels=64,
        in_index=1,
        channels=16,
        dilations=(1, 6, 12, 18),
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
train_dataloader = dict(batch_size=4)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(
        type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=4, by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=4, val_interval=4)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=2))
randomness = dict(seed=0)
