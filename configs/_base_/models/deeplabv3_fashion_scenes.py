# DeepLab (ASPP, the paper's rates 6/12/18/24) for the fashion scenes
# (background + 10 garment classes) on the last stage of a dilated backbone
# (512 channels at output stride 8), an FCN auxiliary head on the stage
# before. Each config adds its backbone (out_indices giving those two stages)
# and data preprocessor.
norm_cfg = dict(
    type='SyncBN', requires_grad=True)  # BN on CPU (tools/train.py)
model = dict(
    type='EncoderDecoder',
    decode_head=dict(
        type='ASPPHead',
        in_channels=512,
        in_index=1,
        channels=64,
        dilations=(6, 12, 18, 24),
        dropout_ratio=0.1,
        num_classes=11,
        norm_cfg=norm_cfg,
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
        num_classes=11,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
