# The demo's segmenter (`make demo`, shipped in the model zoo): the pre-encoded C=8
# segmenter on a 1,000-iteration schedule (2 minutes on 2 CPU cores; it mostly learns
# the background, see the README for the 4k schedule).
_base_ = ['./deeplabv3_cresnet51-w16-d8_c8-preencoded_1xb8-4k_fashion-scenes-64x64.py']
optim_wrapper = dict(optimizer=dict(lr=0.01))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=1000,
                        by_epoch=False)]
train_cfg = dict(max_iters=1000, val_interval=500)
