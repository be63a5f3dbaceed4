# The Fashion-MNIST subset that ships with cdi_mm (300 train / 100 test images
# per class), read by mmpretrain's stock CustomDataset. The 28x28 garments are
# resized to 64x64, so that a stride-8 codec gives 8x8 latents. For the full
# set: python tools/prepare_data.py fashion-mnist --out data/fashion_mnist and
# override data_root.
dataset_type = 'CustomDataset'
data_root = '{{fileDirname}}/../../../cdi_mm/datasets/embedded/fashion_mnist'
img_size = 64
data_preprocessor = dict(
    num_classes=10,
    mean=[72.9, 72.9, 72.9],
    std=[90.0, 90.0, 90.0],
    to_rgb=False)
train_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadCheckedImageFromFile'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='PackInputs'),
]
metainfo = dict(
    classes=('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal',
             'Shirt', 'Sneaker', 'Bag', 'Ankle boot'))
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='train.txt',
        data_prefix='',
        metainfo=metainfo,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='test.txt',
        data_prefix='',
        metainfo=metainfo,
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
