# Photo objects (python tools/prepare_data.py photo-objects): photographed
# objects of 8 classes pasted on photo-pool crops, 224x224 (28x28xC latents at
# stride 8), whole objects held out for val; mmpretrain's stock CustomDataset
# on the class folders.
dataset_type = 'CustomDataset'
data_root = 'data/photo_objects'
metainfo = dict(
    classes=('bird', 'flower', 'fruit', 'household', 'mammal', 'sea_life',
             'vegetable', 'vehicle'))
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='train',
        metainfo=metainfo,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=50,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='val',
        metainfo=metainfo,
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, ))
# test: the training objects on the held-out photos (recognition in new scenes)
test_dataloader = dict(
    batch_size=50,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='val_seen',
        metainfo=metainfo,
        pipeline=test_pipeline))
test_evaluator = val_evaluator
