# The demo's codec: the narrow torfason2018 of the Fashion-MNIST codec, trained
# on the embedded garments (64x64) and on 64x64 crops of the fashion scenes
# (garments over coloured backgrounds, `tools/prepare_data.py fashion-scenes`)
# alike, so that one latent serves the demo's classifiers and its segmenter.
# Trained on the garments alone, the codec reached 25.7 dB on them but 16.4 dB
# on the scenes (it had never seen colour), and the segmenter on its latents
# stopped at 70% foreground IoU (configs/deeplab/README.md). Twice the
# iterations of the garment codec: 1,200 give 26.1 dB on the scenes; 2,400
# gave the segmenter no more (80.2 / 80.1 vs 80.3% foreground IoU with the
# AdamW segmenter) and cost the demo 90 s.
_base_ = ['./torfason2018-n32_c8_ste_1xb32-600_fashion-mnist.py']
scenes_root = 'data/fashion_scenes'
scene_crops = dict(
    type='CustomDataset',
    data_root=scenes_root,
    data_prefix='img_dir/train',
    with_label=False,
    pipeline=[
        dict(type='LoadCheckedImageFromFile'),
        dict(type='RandomCrop', crop_size=64),
        dict(type='RandomFlip', prob=0.5, direction='horizontal'),
        dict(type='PackInputs'),
    ])
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        ignore_keys=['classes'],
        datasets=[{{_base_.train_dataloader.dataset}}, scene_crops]))
param_scheduler = dict(milestones=[800])
train_cfg = dict(max_iters=1200, val_interval=1200)
default_hooks = dict(checkpoint=dict(interval=1200))
