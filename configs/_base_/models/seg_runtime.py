# Runtime shared by the segmentation configs: mmseg's default runtime, cdi_mm
# imported, iteration-based loops and the hooks mmseg's schedules would add.
_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
default_scope = 'mmseg'
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=500, max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
