# cResNet-39 (CPU widths) on your own data pre-encoded at C=8 (28x28x8 latents
# of 224x224 images); inherit it and set the data root and the class count,
# e.g.
#   _base_ = ['PATH/TO/THIS/FILE.py']
#   data_root = 'data/my_latents'
#   train_dataloader = dict(dataset=dict(data_root=data_root))
#   val_dataloader = dict(dataset=dict(data_root=data_root))
#   test_dataloader = dict(dataset=dict(data_root=data_root))
#   model = dict(head=dict(num_classes=5))
# (another C: model = dict(backbone=dict(in_channels=C))). README: "Your own
# data".
_base_ = [
    '../_base_/schedules/photo_objects_2k.py',
    '../_base_/datasets/latent_folder.py'
]
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(type='LatentClsDataPreprocessor'),
    backbone=dict(type='CResNet', depth=39, in_channels=8, base_channels=32),
    neck=dict(type='GlobalAveragePooling'),
    # num_classes: set by the inheriting config (the number of class folders)
    head=dict(
        type='LinearClsHead',
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, )))
