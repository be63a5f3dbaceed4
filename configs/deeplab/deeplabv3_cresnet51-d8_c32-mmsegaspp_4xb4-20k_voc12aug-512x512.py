# The C=32 cResNet-51-d segmenter with mmseg's default DeepLab-v3 head
# (ASPPHead: 1x1 branch, image pooling, 512-channel bottleneck; rates
# 1/12/24/36 as in deeplabv3_r50-d8_4xb4-20k_voc12aug-512x512.py) instead of
# the paper's DeepLab-v2 ASPP.
_base_ = ['./deeplabv3_cresnet51-d8_c32_4xb4-20k_voc12aug-512x512.py']
model = dict(decode_head=dict(type='ASPPHead', dilations=(1, 12, 24, 36)))
