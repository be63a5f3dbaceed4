# Distillation data as images: the same teacher-labelled crops and held-out
# views as teacher_labelled_latents.py, as PNGs (the crops themselves, or what
# a codec decodes: tools/decompress_dataset.py CODEC data/distill_c32
# data/distill_c32-decoded).
_base_ = ['./teacher_labelled_latents.py']
pipeline = [dict(type='LoadCheckedImageFromFile'), dict(type='PackInputs')]
train_dataloader = dict(
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(data_root='data/distill_c32-decoded', pipeline=pipeline))
val_dataloader = dict(
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(
        data_root='data/distill_heldout_c32-decoded', pipeline=pipeline))
test_dataloader = val_dataloader
custom_hooks = []  # images: no latents whose codec could be checked
