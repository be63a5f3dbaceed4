# cResNet-51 on C=32 latents distilled on two photo sources at once: the
# activity photos' crops (data/activity_distill_c32) and the object photos'
# crops (data/object_distill_c32: tuxpaint stamps on pool photos), concatenated
# (mmengine's ConcatDataset). Same model, teacher, 4k schedule and held-out
# views as the activity-photos run: what more distinct things add.
_base_ = [
    './cresnet51-w32_c32-preencoded_lite2-distill_1xb32-4k_activity-photos.py'
]
crops = dict(type='TeacherLabelledDataset', pipeline=_base_.pipeline)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(crops, data_root='data/activity_distill_c32'),
            dict(crops, data_root='data/object_distill_c32')
        ]))
