# The paper's segmenter on photo scenes (background + 8 classes): DeepLab-v2
# ASPP (ASPPV2Head: four 3x3 convolutions straight to the class scores, summed)
# on the last stage (512 channels at output stride 8), an FCN auxiliary head on
# the stage before. 28x28 features at training (224x224 crops or 28x28 latent
# crops), so the rates are DeepLab-v2's 6/12/18/24 scaled by 28/41 (see
# ASPPV2Head). Each config adds its backbone (out_indices giving those two
# stages) and data preprocessor.
norm_cfg = dict(
    type='SyncBN', requires_grad=True)  # BN on CPU (tools/train.py)
model = dict(
    type='EncoderDecoder',
    backbone=dict(norm_cfg=norm_cfg),
    decode_head=dict(
        type='ASPPV2Head',
        in_channels=512,
        in_index=1,
        dilations=(4, 8, 12, 16),
        dropout_ratio=0.1,
        num_classes=9,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    auxiliary_head=dict(
        type='FCNHead',
        in_channels=256,
        in_index=0,
        channels=32,
        num_convs=1,
        concat_input=False,
        dropout_ratio=0.1,
        num_classes=9,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
