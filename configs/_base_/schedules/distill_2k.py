# The schedule every distilled student of a comparison shares: 2,000
# iterations of 32 teacher-labelled crops, SGD (Nesterov) with a linear warm-up
# and cosine decay, agreement with the teacher measured every 500.
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
default_scope = 'mmpretrain'
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, end=100),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=100, T_max=1900)
]
train_cfg = dict(by_epoch=False, max_iters=2000, val_interval=500)
val_cfg = dict()
test_cfg = dict()
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(
        by_epoch=False,
        interval=500,
        max_keep_ckpts=1,
        save_best='accuracy/top5',
        rule='greater'))
