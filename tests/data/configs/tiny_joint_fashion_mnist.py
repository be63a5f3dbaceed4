# Tiny joint training for tests: a trainable tiny codec in front of a narrow
# cResNet-39, trained with JointLossHook on 64x64 Fashion-MNIST for a few
# iterations.
_base_ = ['./tiny_cls_fashion_mnist.py']
model = dict(
    data_preprocessor=dict(mean=[0.0] * 3, std=[255.0] * 3, to_rgb=True),
    backbone=dict(
        _delete_=True,
        type='CodecBackbone',
        latent_stride=8,
        stem=dict(
            type='CodecStem',
            frozen=False,
            codec=dict(
                type='torfason2018',
                channels=4,
                N=8,
                num_groups=1,
                blocks_per_group=1)),
        backbone=dict(
            type='CResNet', depth=39, in_channels=4, base_channels=4)))
optim_wrapper = dict(_delete_=True, optimizer=dict(type='Adam', lr=1e-3))
custom_hooks = [
    dict(type='JointLossHook', gamma=0.01, beta=10.0, target_entropy=1.0),
    dict(type='RefreshCodingTablesHook'),
    dict(type='CodecProvenanceHook')
]
