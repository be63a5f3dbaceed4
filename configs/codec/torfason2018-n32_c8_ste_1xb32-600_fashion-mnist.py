# The demo's codec: a narrow torfason2018 (N=32, 1 group x 1 block) on the
# embedded Fashion-MNIST garments upscaled to 64x64 (latent 8x8x8), trained for
# 600 iterations.
_base_ = [
    '../_base_/models/codec_runtime.py',
    '../_base_/datasets/fashion_mnist_embedded.py'
]
model = dict(
    type='CodecModel',
    codec=dict(
        type='torfason2018',
        channels=8,
        N=32,
        num_groups=1,
        blocks_per_group=1,
        quantizer='ste-centers'),
    beta=10.0,
    target_entropy=0.786)
train_dataloader = dict(
    batch_size=32, sampler=dict(type='InfiniteSampler', shuffle=True))
val_evaluator = dict(type='RateDistortionMetric', _delete_=True)
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=False, milestones=[400], gamma=0.3)
train_cfg = dict(by_epoch=False, max_iters=600, val_interval=600)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=600, max_keep_ckpts=1))
