# cResNet-39 on the C=8 latent (0.098 bpp) of the shipped photo codec, encoded on the fly
# (frozen CodecStem) from 224x224 photo objects: 28x28x8 latents, as in the paper.
# CPU-sized: bottleneck widths 32/64/128 (paper: 128/256/512). The other operating
# points change the stem checkpoint and in_channels; the codec paths are rewritten by
# tools/experiments/publish_photo_codecs.sh when new codecs are published.
_base_ = [
    'mmpretrain::_base_/default_runtime.py',
    '../_base_/datasets/photo_objects.py',
]
custom_imports = dict(imports=['cdi_mm'], allow_failed_imports=False)
default_scope = 'mmpretrain'
model = dict(
    type='ImageClassifier',
    # the codec takes RGB in [0, 1]; no mean/std normalisation of the latent
    data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=8, mean=[0.0] * 3,
                           std=[255.0] * 3, to_rgb=True),
    backbone=dict(
        type='CodecBackbone', latent_stride=8,
        stem=dict(type='CodecStem', output='latent', checkpoint=(
            'checkpoints/factorized-prior-s8-n96_c8_eb_1xb8-200k_photos_20261128-fca34b3e.pth')),
        backbone=dict(type='CResNet', depth=39, in_channels=8, base_channels=32)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=8, in_channels=512,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0), topk=(1, )))
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=4000)
train_cfg = dict(by_epoch=False, max_iters=4000, val_interval=1000)
val_cfg = dict()
test_cfg = dict()
# coding tables kept exact; checkpoints record the input codec and refuse others
custom_hooks = [dict(type='RefreshCodingTablesHook'), dict(type='CodecProvenanceHook')]
log_processor = dict(by_epoch=False)
default_hooks = dict(logger=dict(interval=100),
                     checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=1))
