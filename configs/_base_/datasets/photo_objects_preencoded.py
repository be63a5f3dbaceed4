# Photo objects pre-encoded by a photo codec: .cdi latents (28x28xC), flipped on the
# latent grid. The data set's manifest (cdi_codec.json, written by compress_dataset.py)
# names the codec, so the pipeline needs no codec argument:
#   python tools/compress_dataset.py CODEC_CKPT data/photo_objects data/photo_objects_c8
_base_ = ['./photo_objects.py']
data_root = 'data/photo_objects_c8'
train_pipeline = [
    dict(type='LoadLatentFromFile'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='LoadLatentFromFile'), dict(type='PackInputs')]
train_dataloader = dict(
    dataset=dict(
        data_root=data_root, extensions=('.cdi', ), pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root, extensions=('.cdi', ), pipeline=test_pipeline))
test_dataloader = dict(
    dataset=dict(
        data_root=data_root, extensions=('.cdi', ), pipeline=test_pipeline))
