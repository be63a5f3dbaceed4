# ResNet-50 (widths / 4) on images decoded by the fashion codec at C=32.
_base_ = ['./resnet50-w16_c8-decoded_1xb32-2k_fashion-mnist.py']
codec_checkpoint = 'work_dirs/torfason2018-n32_c32_ste_1xb32-600_fashion-mnist/iter_600.pth'  # noqa: E501
model = dict(backbone=dict(stem=dict(codec_checkpoint=codec_checkpoint)))
