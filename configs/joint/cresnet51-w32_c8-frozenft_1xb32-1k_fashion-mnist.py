# Ablation next to joint training: the same 1,000 extra iterations of Adam from
# the separately trained cResNet-51, with the codec kept frozen (no codec
# terms), so that the effect of joint training is not confused with that of
# training longer.
_base_ = ['./cresnet51-w32_c8-joint_1xb32-1k_fashion-mnist.py']
model = dict(backbone=dict(stem=dict(frozen=True)))
custom_hooks = [
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
