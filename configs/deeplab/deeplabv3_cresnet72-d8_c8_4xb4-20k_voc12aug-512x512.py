# DeepLab on the dilated cResNet-72-d at C=8 (0.0983 bpp; VOC 2012 aug,
# 512x512), the paper's deepest latent segmenter, matched to ResNet-71-d on
# decoded images.
_base_ = ['./deeplabv3_cresnet51-d8_c8_4xb4-20k_voc12aug-512x512.py']
model = dict(
    backbone=dict(
        backbone=dict(depth=72),
        init_cfg=dict(
            checkpoint='work_dirs/cresnet72_c8_8xb32_in1k/epoch_100.pth')))
