# Baseline at C=8: DeepLab on ResNet-71-d (13 conv4_x blocks) on C=8-decoded
# images (VOC 2012 aug), the match of cResNet-72-d; initialised from the
# ImageNet ResNet-71.
_base_ = ['./deeplabv3_r50-d8_c8-decoded_4xb4-20k_voc12aug-512x512.py']
model = dict(
    backbone=dict(
        backbone=dict(depth=71),
        init_cfg=dict(
            checkpoint='work_dirs/resnet71_c8-decoded_8xb32_in1k/epoch_100.pth'
        )))
