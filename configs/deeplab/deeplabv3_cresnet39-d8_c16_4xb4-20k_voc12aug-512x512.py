# DeepLab on the dilated cResNet-39-d at C=16 (VOC 2012 aug, 512x512).
_base_ = ['./deeplabv3_cresnet51-d8_c16_4xb4-20k_voc12aug-512x512.py']
model = dict(
    backbone=dict(
        backbone=dict(depth=39),
        init_cfg=dict(
            checkpoint='work_dirs/cresnet39_c16_8xb32_in1k/epoch_100.pth')))
