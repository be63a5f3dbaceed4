# The same cResNet-39, fed pre-encoded .cdi latents (entropy decoding only, no
# synthesis transform). Encode the data set first:
#   python tools/compress_dataset.py \
#       checkpoints/torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_*.pth \
#       cdi_mm/datasets/embedded/fashion_mnist \
#       work_dirs/demo/fashion_mnist_c8 \
#       --size 64 64
_base_ = [
    './cresnet39-w32_c8_1xb32-2k_fashion-mnist.py',
    '../_base_/datasets/classification_latents.py'
]
# the data set's manifest (cdi_codec.json, written by compress_dataset.py)
# names the codec, so the pipelines name none; the on-the-fly base's codec is
# not used here
codec_checkpoint = None
latent_root = 'work_dirs/demo/fashion_mnist_c8'
model = dict(
    data_preprocessor=dict(
        _delete_=True, type='LatentClsDataPreprocessor', num_classes=10),
    backbone=dict(
        _delete_=True,
        type='CResNet',
        depth=39,
        in_channels=8,
        base_channels=32))
# int16 symbols, flipped in the entropy decoder (classification_latents.py);
# LoadLatentFromFile + RandomFlip, float latents, give the same numbers, slower
train_pipeline = _base_.latent_train_pipeline
test_pipeline = _base_.latent_test_pipeline
train_dataloader = dict(
    collate_fn=dict(type='default_collate'),
    dataset=dict(data_root=latent_root, pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(data_root=latent_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
# latents of another codec than the data set's manifest names are refused
custom_hooks = [dict(type='CodecProvenanceHook')]
