# The demo's segmenter (`make demo`): the paper's DeepLab-v2 head on the
# dilated cResNet-39-d at the demo classifier's widths (bottleneck / 4),
# initialised from that classifier (as the paper initialises its segmenters
# from its ImageNet classifiers), on 2,000 scenes; rates, schedule,
# background weight and whole 16x16 latents as in the cResNet-51-d (w / 8)
# config it inherits (configs/deeplabv3/README.md).
_base_ = [
    './deeplabv2_cresnet51-w16-d8_c8-preencoded_1xb8-2k_fashion-scenes-128x128.py'  # noqa: E501
]
# `make demo` points this at the classifier it has just trained
classifier_checkpoint = 'work_dirs/demo/cresnet/iter_2000.pth'
model = dict(
    backbone=dict(
        depth=39,
        base_channels=32,
        init_cfg=dict(
            type='Pretrained',
            prefix='backbone.',
            checkpoint=classifier_checkpoint)),
    decode_head=dict(in_channels=512),
    auxiliary_head=dict(in_channels=256))
