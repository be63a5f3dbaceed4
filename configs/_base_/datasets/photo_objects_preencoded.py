# Photo objects pre-encoded by a photo codec: .cdi latents (28x28xC) in the
# layout of "your own pre-encoded data" (latent_folder.py: classes from the
# folder names), flipped on the latent grid. The data set's manifest
# (cdi_codec.json, written by compress_dataset.py) names the codec, so the
# pipeline needs no codec argument:
#   python tools/compress_dataset.py \
#       CODEC_CKPT data/photo_objects data/photo_objects_c8
_base_ = ['./latent_folder.py']
data_root = 'data/photo_objects_c8'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
# test: the training objects on the held-out photos (recognition in new scenes)
test_dataloader = dict(
    dataset=dict(data_root=data_root, data_prefix='val_seen'))
