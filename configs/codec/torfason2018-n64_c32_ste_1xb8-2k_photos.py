# CPU-sized codec on the natural-photo pool (tools/prepare_data.py photos):
# trunk width N=64 with 2 groups x 2 residual blocks (paper: 128, 5 x 3). C=32
# at 1.27 bits/symbol.
_base_ = [
    '../_base_/models/codec_runtime.py', '../_base_/datasets/photos_codec.py'
]
model = dict(
    type='CodecModel',
    codec=dict(
        type='torfason2018',
        channels=32,
        N=64,
        num_groups=2,
        blocks_per_group=2,
        quantizer='ste-centers'),
    beta=10.0,
    target_entropy=1.27)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=3e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=False, milestones=[1400], gamma=0.3)
train_cfg = dict(by_epoch=False, max_iters=2000, val_interval=1000)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=1))
