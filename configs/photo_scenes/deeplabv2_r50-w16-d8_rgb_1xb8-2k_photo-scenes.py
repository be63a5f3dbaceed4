# Reference: the paper's segmenter on the original photo scenes: DeepLab-v2 ASPP
# (ASPPV2Head) on a dilated ResNet-50-d (widths / 4; the plain 7x7 stem of the
# photo-object ResNet-50 that initialises it, see photo_operating_points.sh). 224x224
# crops give 28x28 features at output stride 8, as the latent does, so the rates are
# DeepLab-v2's 6/12/18/24 scaled by 28/41 (see ASPPV2Head); whole 256x256 scenes at test.
_base_ = ['../_base_/schedules/photo_scenes_2k.py', '../_base_/datasets/photo_scenes.py']
norm_cfg = dict(type='SyncBN', requires_grad=True)  # BN on CPU (tools/train.py)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0,
                           seg_pad_val=255, size=(224, 224)),
    backbone=dict(type='PaperSegResNet', depth=50, stem_channels=16, base_channels=16,
                  strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4), out_indices=(2, 3),
                  norm_cfg=norm_cfg),
    decode_head=dict(type='ASPPV2Head', in_channels=512, in_index=1,
                     dilations=(4, 8, 12, 16), dropout_ratio=0.1, num_classes=9,
                     align_corners=False,
                     loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    auxiliary_head=dict(type='FCNHead', in_channels=256, in_index=0, channels=32,
                        num_convs=1, concat_input=False, dropout_ratio=0.1,
                        num_classes=9, norm_cfg=norm_cfg, align_corners=False,
                        loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.4)),
    train_cfg=dict(), test_cfg=dict(mode='whole'))
