# ResNet-50 on images decoded by the C=32 ImageNet codec (decode, then
# classify).
_base_ = ['../cresnet/cresnet51_c32_8xb32_in1k.py']
model = dict(
    backbone=dict(
        stem=dict(output='reconstruction'),
        backbone=dict(_delete_=True, type='PaperResNet', depth=50)))
