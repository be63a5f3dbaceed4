# Reference: mmseg's DeepLabV3 on ResNet-50-d on the original images (VOC 2012 aug), with
# the paper's ASPP rates 6/12/18/24 instead of mmseg's 1/12/24/36; no codec.
_base_ = ['mmseg::deeplabv3/deeplabv3_r50-d8_4xb4-20k_voc12aug-512x512.py']
custom_imports = dict(imports=['cdi_mm'], allow_failed_imports=False)
model = dict(decode_head=dict(dilations=(6, 12, 18, 24)))
