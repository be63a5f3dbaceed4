# What every pre-encoded classification data set shares: the latent is loaded
# as int16 symbols, cropped and flipped in the entropy decoder
# (LoadLatentSymbols); the model's LatentClsDataPreprocessor maps them to
# latent values on its device. Same-size latents stack in the worker
# (default_collate): one tensor per batch crosses to the training process. A
# pre-encoded base or config inherits this file and uses its pipelines (e.g.
# latent_folder.py).
latent_meta_keys = ('sample_idx', 'img_path', 'ori_shape', 'img_shape', 'flip',
                    'flip_direction', 'latent_dequant')
latent_train_pipeline = [
    dict(type='LoadLatentSymbols', flip_prob=0.5),
    dict(type='PackInputs', meta_keys=latent_meta_keys),
]
latent_test_pipeline = [
    dict(type='LoadLatentSymbols'),
    dict(type='PackInputs', meta_keys=latent_meta_keys)
]
