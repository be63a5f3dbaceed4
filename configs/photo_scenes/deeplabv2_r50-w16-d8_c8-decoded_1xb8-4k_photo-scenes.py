# Baseline: the same DeepLab-v2 head on a dilated ResNet-50-d (widths / 4; the plain 7x7
# stem of the photo-object ResNet-50 that initialises it) on images decoded by the C=8
# codec: 224x224 crops give 28x28 features at output stride 8, as on the latent.
_base_ = ['./deeplabv2_cresnet51-w32-d8_c8_1xb8-4k_photo-scenes.py']
model = dict(
    backbone=dict(
        stem=dict(output='reconstruction'),
        backbone=dict(_delete_=True, type='PaperSegResNet', depth=50, stem_channels=16,
                      base_channels=16, strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4),
                      out_indices=(2, 3), norm_cfg={{_base_.norm_cfg}})),
    decode_head=dict(in_channels=512),
    auxiliary_head=dict(in_channels=256))
