# What every pre-encoded segmentation data set shares: .cdi latents (the data
# set's manifest, cdi_codec.json, names their codec) with the untouched PNG
# masks, cropped and flipped together on the latent grid. A pre-encoded base
# inherits its RGB base and this file, sets its data root and builds its
# pipelines from these pieces (e.g. photo_scenes_preencoded.py).
load_latent_and_mask = [
    dict(type='LoadLatentFromFile'),
    dict(type='LoadAnnotations')
]
flip_and_pack = [
    dict(type='LatentRandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
latent_test_pipeline = [*load_latent_and_mask, dict(type='PackSegInputs')]
# whole latents, flipped (every object seen whole)
latent_whole_train_pipeline = [*load_latent_and_mask, *flip_and_pack]
