# Joint fine-tuning (Torfason et al. 2018, Sec. 5) on the embedded
# Fashion-MNIST: codec (encoder, decoder, centres) and cResNet-51 from their
# separately trained states, loss gamma * MSE * (1 + beta * max(H - H_t, 0)) +
# cross-entropy, with the codec's own beta and H_t (0.786 bits/symbol). Start
# from:
#   python tools/train.py \
#       configs/cresnet/cresnet51-w32_c8_1xb32-2k_fashion-mnist.py
_base_ = ['../cresnet/cresnet51-w32_c8_1xb32-2k_fashion-mnist.py']
load_from = 'work_dirs/cresnet51-w32_c8_1xb32-2k_fashion-mnist/iter_2000.pth'
model = dict(backbone=dict(stem=dict(frozen=False)))
# one Adam for codec and classifier (the codec was trained with Adam)
optim_wrapper = dict(_delete_=True, optimizer=dict(type='Adam', lr=1e-4))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=1000)
train_cfg = dict(by_epoch=False, max_iters=1000, val_interval=1000)
custom_hooks = [
    dict(type='JointLossHook', gamma=0.01, beta=10.0, target_entropy=0.786),
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook'),
]
default_hooks = dict(checkpoint=dict(interval=1000))
