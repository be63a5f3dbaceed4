# Runtime shared by the codec configs: mmpretrain's default runtime, Adam,
# iteration-based schedule, coding tables refreshed before validation and every
# checkpoint.
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
default_scope = 'mmpretrain'
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-4, weight_decay=0.0),
    # EntropyBottleneck quantiles only learn from the auxiliary loss; give them
    # more lr
    paramwise_cfg=dict(
        custom_keys={'quantiles': dict(lr_mult=10.0, decay_mult=0.0)}))
custom_hooks = [dict(type='RefreshCodingTablesHook')]
log_processor = dict(by_epoch=False)
val_cfg = dict()
test_cfg = dict()
