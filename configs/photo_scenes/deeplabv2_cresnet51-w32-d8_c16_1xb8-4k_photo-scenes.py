# The paper's segmenter on the C=16 photo codec's latent.
_base_ = ['./deeplabv2_cresnet51-w32-d8_c8_1xb8-4k_photo-scenes.py']
model = dict(backbone=dict(
    stem=dict(checkpoint='checkpoints/factorized-prior-s8-n96_c16_eb_1xb8-200k_photos_20261128-50d463a8.pth'),
    backbone=dict(in_channels=16)))
