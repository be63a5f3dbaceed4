# The fashion-scene segmenters' schedule: 4,000 iterations of 8, SGD at 0.02 +
# poly, validation every 1,000 (mmseg runtime, cdi_mm imported).
_base_ = ['../models/seg_runtime.py']
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, end=4000, by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=4000, val_interval=1000)
