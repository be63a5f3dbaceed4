# Joint fine-tuning at C=8 (0.0983 bpp, H_t 0.786 bits/symbol).
_base_ = ['./cresnet51_c32-joint_8xb32-10e_in1k.py']
codec_checkpoint = 'work_dirs/torfason2018_c8_ste_1xb30-300k_in1k/iter_300000.pth'  # noqa: E501
load_from = 'work_dirs/cresnet51_c8_8xb32_in1k/epoch_100.pth'
model = dict(
    backbone=dict(
        stem=dict(codec_checkpoint=codec_checkpoint),
        backbone=dict(in_channels=8)))
custom_hooks = [
    dict(
        type='JointLossHook',
        gamma=0.01,
        beta=10.0,
        target_entropy=0.786,
        warmup_iters=1000),
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook'),
]
