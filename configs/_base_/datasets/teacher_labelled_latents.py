# Distillation data as codec latents: augmented photo crops labelled by
# the teacher's logits (tools/write_distillation_crops.py), encoded by a photo
# codec (tools/compress_dataset.py, which copies the logits and rewrites the
# file lists to .cdi). Each crop is the view the teacher saw, so nothing is
# augmented again here. Validation: held-out views (photo objects and pool
# photos never used in distillation) labelled with the teacher's top-1, so
# Accuracy top-1 / top-5 is the agreement with the teacher.
#   python tools/write_distillation_crops.py data/photos/train \
#       --out data/distill --shards 160
#   python tools/write_distillation_crops.py data/photo_objects/val \
#       data/photos/val --out data/distill_heldout --mode view
#   python tools/compress_dataset.py CODEC data/distill data/distill_c32
#   python tools/compress_dataset.py CODEC data/distill_heldout \
#       data/distill_heldout_c32
_base_ = ['./classification_latents.py']
dataset_type = 'TeacherLabelledDataset'
pipeline = _base_.latent_test_pipeline
train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type, data_root='data/distill_c32', pipeline=pipeline))
val_dataloader = dict(
    batch_size=50,
    num_workers=1,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root='data/distill_heldout_c32',
        pipeline=pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
# latents of another codec than the data set's manifest names are refused
custom_hooks = [dict(type='CodecProvenanceHook')]
