# cResNet-51 on C=32 latents distilled on object photos
# (tools/prepare_data.py object-photos: 383 photographed objects of every kind
# on the pool's training photos, photo-objects' val objects never among them)
# with the 4k schedule. Same model and held-out views as the 2k photos run.
_base_ = [
    '../_base_/models/imagenet_student.py',
    '../_base_/schedules/distill_4k.py',
    '../_base_/datasets/teacher_labelled_latents.py'
]
model = dict(
    data_preprocessor=dict(type='LatentClsDataPreprocessor'),
    backbone=dict(type='CResNet', depth=51, in_channels=32, base_channels=32))
train_dataloader = dict(dataset=dict(data_root='data/object_distill_c32'))
custom_hooks = [dict(type='CodecProvenanceHook')
                ]  # refuses latents of another codec
