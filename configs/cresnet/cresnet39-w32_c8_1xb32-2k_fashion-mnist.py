# cResNet-39 on the C=8 latent of the demo codec, encoded on the fly
# (CodecBackbone). CPU-sized: bottleneck widths 32/64/128 (paper: 128/256/512),
# 64x64 images -> 8x8x8 latents. The codec (frozen) is trained by
#   python tools/train.py \
#       configs/codec/torfason2018-n32_c8_ste_1xb32-600_fashion-mnist.py
_base_ = [
    'mmpretrain::_base_/default_runtime.py',
    '../_base_/datasets/fashion_mnist_embedded.py',
]
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
default_scope = 'mmpretrain'
# the shipped demo codec (model zoo); `make demo` trains its own and uses that
# instead
codec_checkpoint = (
    'checkpoints/'
    'torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_20261126-46d5659d.pth')
model = dict(
    type='ImageClassifier',
    # the codec takes RGB in [0, 1]; no 3-channel mean/std normalisation
    data_preprocessor=dict(
        type='ClsDataPreprocessor',
        num_classes=10,
        mean=[0.0] * 3,
        std=[255.0] * 3,
        to_rgb=True),
    backbone=dict(
        type='CodecBackbone',
        latent_stride=8,  # the cResNets are built for stride-8 latents
        stem=dict(
            type='CodecStem',
            codec_checkpoint=codec_checkpoint,
            output='latent'),
        backbone=dict(
            type='CResNet', depth=39, in_channels=8, base_channels=32)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=2000)
train_cfg = dict(by_epoch=False, max_iters=2000, val_interval=1000)
val_cfg = dict()
test_cfg = dict()
# coding tables kept exact; checkpoints record the input codec and refuse
# others
custom_hooks = [
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=1))
