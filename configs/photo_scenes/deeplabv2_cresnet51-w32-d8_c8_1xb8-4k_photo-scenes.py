# The paper's segmenter on photo scenes: DeepLab-v2 ASPP (ASPPV2Head) on the dilated
# cResNet-51-d fed the C=8 photo codec's latent, encoded on the fly (frozen stem).
# CPU-sized widths (those of cResNet-51 w32 on photo objects, whose checkpoint initialises
# the backbone: tools/experiments/photo_operating_points.sh passes it). 224x224 crops give
# 28x28 features, so the rates are DeepLab-v2's 6/12/18/24 scaled by 28/41 (see
# ASPPV2Head); whole 256x256 scenes at test time.
_base_ = ['../_base_/models/seg_runtime.py', '../_base_/datasets/photo_scenes.py']
norm_cfg = dict(type='SyncBN', requires_grad=True)  # BN on CPU (tools/train.py)
model = dict(
    type='EncoderDecoder',
    # the codec takes RGB in [0, 1]; pad crops to multiples of the codec stride
    data_preprocessor=dict(type='SegDataPreProcessor', mean=[0.0] * 3, std=[255.0] * 3,
                           bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=(224, 224)),
    backbone=dict(
        type='CodecBackbone', latent_stride=8,
        stem=dict(type='CodecStem', output='latent', checkpoint=(
            'checkpoints/factorized-prior-s8-n96_c8_eb_1xb8-200k_photos_20261128-fca34b3e.pth')),
        backbone=dict(type='CResNet', depth=51, in_channels=8, base_channels=32,
                      strides=(1, 1, 1), dilations=(1, 2, 4), out_indices=(1, 2),
                      norm_cfg=norm_cfg)),
    decode_head=dict(type='ASPPV2Head', in_channels=512, in_index=1,
                     dilations=(4, 8, 12, 16), dropout_ratio=0.1, num_classes=9,
                     align_corners=False,
                     loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    auxiliary_head=dict(type='FCNHead', in_channels=256, in_index=0, channels=32,
                        num_convs=1, concat_input=False, dropout_ratio=0.1,
                        num_classes=9, norm_cfg=norm_cfg, align_corners=False,
                        loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4)),
    train_cfg=dict(), test_cfg=dict(mode='whole'))
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=4000,
                        by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=4000, val_interval=1000)
# coding tables kept exact; checkpoints record the input codec and refuse others
custom_hooks = [dict(type='RefreshCodingTablesHook'), dict(type='CodecProvenanceHook')]
