# ResNet-50 (widths / 4) on the original 64x64 images: the reference without compression.
_base_ = [
    'mmpretrain::_base_/default_runtime.py',
    '../_base_/datasets/fashion_mnist_embedded.py',
]
custom_imports = dict(imports=['cdi_mm'], allow_failed_imports=False)
default_scope = 'mmpretrain'
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=50, stem_channels=16, base_channels=16),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=10, in_channels=512,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0), topk=(1, 5)))
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=2000)
train_cfg = dict(by_epoch=False, max_iters=2000, val_interval=1000)
val_cfg = dict()
test_cfg = dict()
log_processor = dict(by_epoch=False)
default_hooks = dict(logger=dict(interval=100),
                     checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=1))
