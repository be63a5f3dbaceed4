# Baseline: DeepLab on ResNet-50-d (dilations (1, 1, 2, 4), strides (1, 2, 1,
# 1) as in mmseg's ResNetV1c, but the plain 7x7 stem of our ImageNet ResNet-50
# so that its weights load) on images decoded by the C=32 codec; VOC 2012 aug,
# 512x512, initialised from the decoded-image classifier. ASPP with the paper's
# rates.
_base_ = ['./deeplabv3_cresnet51-d8_c32_4xb4-20k_voc12aug-512x512.py']
model = dict(
    backbone=dict(
        stem=dict(output='reconstruction'),
        backbone=dict(
            _delete_=True,
            type='PaperSegResNet',
            depth=50,
            strides=(1, 2, 1, 1),
            dilations=(1, 1, 2, 4),
            out_indices=(2, 3),
            contract_dilation=True,
            norm_cfg=dict(type='SyncBN', requires_grad=True)),
        init_cfg=dict(checkpoint='work_dirs/resnet50_c32-decoded_8xb32_in1k/'
                      'epoch_100.pth')))
