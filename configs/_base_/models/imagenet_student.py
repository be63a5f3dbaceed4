# A student of the ImageNet teacher: 1,000 logits in mmpretrain's ImageNet
# order, trained on the teacher's logits (DistillationKLLoss on gt_score).
# Each config adds its backbone (512 output channels: cResNet w32, ResNet-50
# w16).
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=1000),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=512,
        loss=dict(type='DistillationKLLoss', temperature=1.0),
        topk=(1, 5)))
