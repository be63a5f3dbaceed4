# Joint fine-tuning of codec + cResNet-51 on ImageNet at C=32 (0.635 bpp, H_t
# 1.27 bits/symbol) from the separately trained codec and classifier. The paper
# gives the loss but not the fine-tuning schedule: 10 epochs of Adam at 1e-5
# for all parts is ours.
_base_ = ['../cresnet/cresnet51_c32_8xb32_in1k.py']
load_from = 'work_dirs/cresnet51_c32_8xb32_in1k/epoch_100.pth'
model = dict(backbone=dict(stem=dict(frozen=False)))
optim_wrapper = dict(_delete_=True, optimizer=dict(type='Adam', lr=1e-5))
param_scheduler = dict(
    _delete_=True, type='CosineAnnealingLR', by_epoch=True, T_max=10)
train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=1)
custom_hooks = [
    dict(
        type='JointLossHook',
        gamma=0.01,
        beta=10.0,
        target_entropy=1.27,
        warmup_iters=1000),
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook'),
]
