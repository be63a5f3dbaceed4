# The demo's segmenter (`make demo`, shipped in the model zoo): the pre-encoded
# C=8 segmenter at half the width (bottleneck widths / 8) on a 1,000-iteration
# schedule (about a minute on 2 CPU cores; it mostly learns the background, see
# the README).
_base_ = [
    './deeplabv3_cresnet51-w32-d8_c8-preencoded_1xb8-4k_fashion-scenes-64x64.py'  # noqa: E501
]
model = dict(
    backbone=dict(base_channels=16),
    decode_head=dict(in_channels=256),
    auxiliary_head=dict(in_channels=128))
optim_wrapper = dict(optimizer=dict(lr=0.01))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, end=1000, by_epoch=False)
]
train_cfg = dict(max_iters=1000, val_interval=500)
