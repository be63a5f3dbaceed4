# cResNet-51 on C=32 latents distilled on the activity photos from the
# teacher's feature maps as well as its logits (SimKD, Chen et al., CVPR 2022):
# a projector maps the backbone's 7x7x512 map to the teacher's 7x7x1280 final
# map (mean squared error) and the teacher's frozen classifier names the
# classes (KL to the teacher's logits, as the other students). The crops carry
# the teacher's maps (tools/write_distillation_crops.py --feature-size 7);
# same crops recipe, held-out views and schedule as the third run.
_base_ = [
    './cresnet51-w32_c32-preencoded_lite2-distill_1xb32-4k_activity-photos.py'
]
# the student's LinearClsHead (1,000 classes, KL loss) becomes the projector
# + the teacher's classifier
model = dict(neck=None, head=dict(type='ReusedTeacherClsHead'))
train_dataloader = dict(
    dataset=dict(
        data_root='data/activity_simkd_c32',
        with_features=True,
        pipeline=[
            dict(type='LoadLatentSymbols'),
            dict(
                type='PackInputs',
                meta_keys=_base_.latent_meta_keys,
                algorithm_keys=('gt_feature', ))
        ]))
