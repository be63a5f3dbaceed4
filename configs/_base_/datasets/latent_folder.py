# Your own pre-encoded data: a folder per class, split and encoded by
#   python tools/compress_dataset.py CODEC_CKPT MY_IMAGES data/my_latents \
#       --val-fraction 0.2
# into data/my_latents/{train,val}/<class>/*.cdi (+ cdi_codec.json naming the
# codec). Classes come from the folder names; a config inheriting this sets its
# data root(s) and the head's num_classes (see README: "Your own data").
# The latent is loaded as int16 symbols, flipped in the entropy decoder
# (LoadLatentSymbols); the model's LatentClsDataPreprocessor maps them to
# latent values on its device. Same-size latents stack in the worker
# (default_collate): one tensor per batch crosses to the training process.
dataset_type = 'LatentFolderDataset'
data_root = 'data/my_latents'
latent_meta_keys = ('sample_idx', 'img_path', 'ori_shape', 'img_shape', 'flip',
                    'flip_direction', 'latent_dequant')
train_pipeline = [
    dict(type='LoadLatentSymbols', flip_prob=0.5),
    dict(type='PackInputs', meta_keys=latent_meta_keys),
]
test_pipeline = [
    dict(type='LoadLatentSymbols'),
    dict(type='PackInputs', meta_keys=latent_meta_keys)
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix='train',
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
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
# latents of another codec than the data set's manifest names are refused
custom_hooks = [dict(type='CodecProvenanceHook')]
