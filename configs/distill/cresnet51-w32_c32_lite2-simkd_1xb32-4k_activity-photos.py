# The SimKD student (teacher's classifier reused) for photos: the C=32 photo
# codec encodes each photo on the fly, then the student names 1,000 ImageNet
# classes through the teacher's frozen classifier. Its weights are those of
# cresnet51-w32_c32-preencoded_lite2-simkd_1xb32-4k_activity-photos.py (same
# numbers) with the codec inside, made by
#   python tools/model_converters/latent_to_image_model.py THIS_CONFIG \
#       PREENCODED_CHECKPOINT OUT.pth
# Trains too, on the crops with the teacher's maps (data/activity_simkd PNGs).
_base_ = ['./cresnet51-w32_c32_lite2-distill_1xb32-4k_activity-photos.py']
model = dict(neck=None, head=dict(type='ReusedTeacherClsHead'))
train_dataloader = dict(
    dataset=dict(
        data_root='data/activity_simkd',
        with_features=True,
        pipeline=[
            dict(type='LoadCheckedImageFromFile'),
            dict(type='PackInputs', algorithm_keys=('gt_feature', ))
        ]))
