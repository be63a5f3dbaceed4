# Your own pre-encoded data: a folder per class, split and encoded by
#   python tools/compress_dataset.py CODEC_CKPT MY_IMAGES data/my_latents \
#       --val-fraction 0.2
# into data/my_latents/{train,val}/<class>/*.cdi (+ cdi_codec.json naming the
# codec). Classes come from the folder names; a config inheriting this sets its
# data root(s) and the head's num_classes (see README: "Your own data").
# Latents load as symbols (classification_latents.py).
_base_ = ['./classification_latents.py']
dataset_type = 'LatentFolderDataset'
data_root = 'data/my_latents'
train_pipeline = _base_.latent_train_pipeline
test_pipeline = _base_.latent_test_pipeline
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
