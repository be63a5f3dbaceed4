# Tiny classifier for tests: a narrow cResNet-39 on 64x64 RGB Fashion-MNIST, a
# few iters.
_base_ = [
    'mmpretrain::_base_/default_runtime.py',
    '../../../configs/_base_/datasets/fashion_mnist_embedded.py',
]
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
default_scope = 'mmpretrain'
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CResNet', depth=39, in_channels=3, base_channels=4),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
train_dataloader = dict(batch_size=8)
# the first 100 of the 1,000 test images: validation is what a tool test waits
# for
val_dataloader = dict(batch_size=50, dataset=dict(indices=100))
test_dataloader = val_dataloader
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=False, milestones=[2], gamma=0.5)
train_cfg = dict(by_epoch=False, max_iters=4, val_interval=4)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=2))
randomness = dict(seed=0, deterministic=True)
log_processor = dict(by_epoch=False)
