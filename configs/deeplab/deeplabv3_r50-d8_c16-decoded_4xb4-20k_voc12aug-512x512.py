# Baseline at C=16: DeepLab on ResNet-50-d on C=16-decoded images (VOC 2012
# aug).
_base_ = ['./deeplabv3_r50-d8_c32-decoded_4xb4-20k_voc12aug-512x512.py']
model = dict(
    backbone=dict(
        stem=dict(
            codec_checkpoint=
            'work_dirs/torfason2018_c16_ste_1xb30-300k_in1k/iter_300000.pth'),
        init_cfg=dict(checkpoint='work_dirs/resnet50_c16-decoded_8xb32_in1k/'
                      'epoch_100.pth')))
