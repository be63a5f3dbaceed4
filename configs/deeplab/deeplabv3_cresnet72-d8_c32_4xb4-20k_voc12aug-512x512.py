# DeepLab on the dilated cResNet-72-d at C=32 (VOC 2012 aug, 512x512); the
# paper reports cResNet-72-d at C=8 only.
_base_ = ['./deeplabv3_cresnet51-d8_c32_4xb4-20k_voc12aug-512x512.py']
model = dict(
    backbone=dict(
        backbone=dict(depth=72),
        init_cfg=dict(
            checkpoint='work_dirs/cresnet72_c32_8xb32_in1k/epoch_100.pth')))
