# Baseline: ResNet-50 on images decoded by the same C=8 codec (decode, then
# classify). CPU-sized: widths / 4 (stem 16, stages 64..512 channels).
_base_ = ['../cresnet/cresnet39-w32_c8_1xb32-2k_fashion-mnist.py']
model = dict(
    backbone=dict(
        stem=dict(output='reconstruction'),
        backbone=dict(
            _delete_=True,
            type='ResNet',
            depth=50,
            stem_channels=16,
            base_channels=16)),
    head=dict(in_channels=512))
