# DeepLab (ASPP, the paper's rates 6/12/18/24) on the dilated cResNet-51-d, fed
# the demo codec's C=8 latent encoded on the fly. CPU-sized: bottleneck widths
# / 4 (those of the ResNet-50-d baseline), 64x64 crops of the 128x128 fashion
# scenes (tools/prepare_data.py fashion-scenes).
_base_ = [
    '../_base_/models/deeplabv3_fashion_scenes.py',
    '../_base_/models/cresnet51-w32-d8.py',
    '../_base_/schedules/fashion_scenes_4k.py',
    '../_base_/datasets/fashion_scenes.py'
]
# the shipped demo codec (model zoo); `make demo` trains its own and uses that
# instead
codec_checkpoint = (
    'checkpoints/'
    'torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_20261126-46d5659d.pth')
model = dict(
    # the codec takes RGB in [0, 1]; pad crops to 64x64 (images, not latents)
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[0.0] * 3,
        std=[255.0] * 3,
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size=(64, 64)),
    backbone=dict(
        type='CodecBackbone',
        latent_stride=8,  # the cResNets are built for stride-8 latents
        stem=dict(
            type='CodecStem',
            codec_checkpoint=codec_checkpoint,
            output='latent'),
        backbone={{_base_.cresnet51_w32_d8}}))
# coding tables kept exact; checkpoints record the input codec and refuse
# others
custom_hooks = [
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
