# ImageNet for codec training as in the paper's lineage: resize the short side
# to 256, random 160x160 crops; validation on 224 centre crops of the val set.
_base_ = ['./photos_codec.py']
data_root = 'data/imagenet'
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='RandomCrop', crop_size=160),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=30,
    num_workers=8,
    dataset=dict(
        data_root=data_root, data_prefix='train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=25,
    num_workers=8,
    dataset=dict(
        data_root=data_root, data_prefix='val', pipeline=test_pipeline))
test_dataloader = val_dataloader
