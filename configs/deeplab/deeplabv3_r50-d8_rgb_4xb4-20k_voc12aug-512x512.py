# Reference: mmseg's ResNet-50-d on the original images (VOC 2012 aug) with the
# paper's DeepLab-v2 head (ASPPV2Head, rates 6/12/18/24) as the latent and
# decoded rows; no codec.
_base_ = ['mmseg::deeplabv3/deeplabv3_r50-d8_4xb4-20k_voc12aug-512x512.py']
custom_imports = dict(imports=['cdi_mm.openmmlab'], allow_failed_imports=False)
model = dict(decode_head=dict(type='ASPPV2Head', dilations=(6, 12, 18, 24)))
