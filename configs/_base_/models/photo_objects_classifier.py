# What every photo-object classifier shares: 8 classes, global average pooling
# and a linear head on 512 channels (the last stage of cResNet w32 and of
# ResNet-50 w16). Each config adds its backbone (and the RGB configs their
# normalisation).
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=8),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=8,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, )))
