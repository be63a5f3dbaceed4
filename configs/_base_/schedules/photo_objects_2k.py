# The schedule every photo-object classifier shares (the same for every row of
# a comparison): 2,000 iterations of 32 (32 epochs of 2,000 images), SGD +
# cosine, validation and a checkpoint every 500; on mmpretrain's default
# runtime, cdi_mm imported.
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
default_scope = 'mmpretrain'
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=2000)
train_cfg = dict(by_epoch=False, max_iters=2000, val_interval=500)
val_cfg = dict()
test_cfg = dict()
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(by_epoch=False, interval=500, max_keep_ckpts=1))
