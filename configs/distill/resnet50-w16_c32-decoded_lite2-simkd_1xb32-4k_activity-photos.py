# The decoded-image twin of
# cresnet51-w32_c32-preencoded_lite2-simkd_1xb32-4k_activity-photos.py: the
# same crops (with the teacher's maps) as the C=32 photo codec decodes them,
# the same head (projector + the teacher's classifier), schedule and budget.
_base_ = [
    './resnet50-w16_c32-decoded_lite2-distill_1xb32-4k_activity-photos.py'
]
# the student's LinearClsHead (1,000 classes, KL loss) becomes the projector
# + the teacher's classifier
model = dict(neck=None, head=dict(type='ReusedTeacherClsHead'))
train_dataloader = dict(
    dataset=dict(
        data_root='data/activity_simkd_c32-decoded',
        with_features=True,
        pipeline=[
            dict(type='LoadCheckedImageFromFile'),
            dict(type='PackInputs', algorithm_keys=('gt_feature', ))
        ]))
