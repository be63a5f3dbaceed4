# The schedule every photo-scene segmenter shares: 2,000 iterations of 8 (16
# epochs of 1,000 scenes), SGD + poly, validation every 500 (mmseg runtime,
# cdi_mm imported).
_base_ = ['../models/seg_runtime.py']
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-4,
        power=0.9,
        begin=0,
        end=2000,
        by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=2000, val_interval=500)
