# Baseline at C=32: the dilated ResNet-50-d on images decoded by the C=32
# fashion codec.
_base_ = ['./deeplabv3_r50-w16-d8_c8-decoded_1xb8-4k_fashion-scenes-64x64.py']
codec_checkpoint = 'work_dirs/torfason2018-n32_c32_ste_1xb32-600_fashion-mnist/iter_600.pth'  # noqa: E501
model = dict(backbone=dict(stem=dict(codec_checkpoint=codec_checkpoint)))
