# C=8 (0.0983 bpp) operating point.
_base_ = ['./cresnet39_c32_8xb32_in1k.py']
codec_checkpoint = 'work_dirs/torfason2018_c8_ste_1xb30-300k_in1k/iter_300000.pth'  # noqa: E501
model = dict(
    backbone=dict(
        stem=dict(codec_checkpoint=codec_checkpoint),
        backbone=dict(in_channels=8)))
