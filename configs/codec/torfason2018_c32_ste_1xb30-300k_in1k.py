# The paper's codec at its highest operating point (C=32, ~0.635 bpp = 1.27
# bits/symbol) on ImageNet: full widths, Adam lr 8e-5 decayed x0.1 (lineage
# schedule).
_base_ = [
    '../_base_/models/codec_runtime.py', '../_base_/datasets/imagenet_codec.py'
]
model = dict(
    type='CodecModel',
    codec=dict(type='torfason2018', channels=32, quantizer='ste-centers'),
    beta=10.0,
    target_entropy=1.27)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=8e-5))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=False, milestones=[100000, 200000], gamma=0.1)
train_cfg = dict(by_epoch=False, max_iters=300000, val_interval=10000)
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=10000, max_keep_ckpts=3))
