# DeepLab on the dilated cResNet-51-d at C=16 (0.330 bpp; VOC 2012 aug,
# 512x512).
_base_ = ['./deeplabv3_cresnet51-d8_c32_4xb4-20k_voc12aug-512x512.py']
model = dict(
    backbone=dict(
        stem=dict(
            codec_checkpoint=
            'work_dirs/torfason2018_c16_ste_1xb30-300k_in1k/iter_300000.pth'),
        backbone=dict(in_channels=16),
        init_cfg=dict(
            checkpoint='work_dirs/cresnet51_c16_8xb32_in1k/epoch_100.pth')))
