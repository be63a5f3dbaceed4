"""README "Your own data": a folder-per-class tree encoded by the shipped C=32
photo codec with a train/val split, fine-tuned from the distilled backbone
(the README's default latent-folder config with only the data root and class
count set), tested, and one file classified."""
import os

import numpy as np
from helpers import PYTHON, REPO, run_tool
from PIL import Image

from cdi_mm.apis.experiment_plan import published_codecs

CLASSES = ('apple', 'boat', 'cat')


def write_folder_tree(root, per_class=10, size=64):
    rng = np.random.default_rng(0)
    for k, name in enumerate(CLASSES):
        os.makedirs(root / name)
        for i in range(per_class):
            image = rng.integers(0, 60, (size, size, 3), dtype=np.uint8)
            image[..., k] += 150  # one colour per class
            Image.fromarray(image).save(
                root / name / f'{name}_{i}.jpg', quality=90)


def test_own_data_the_short_way(tmp_path):
    images, latents = tmp_path / 'my_images', tmp_path / 'my_latents'
    write_folder_tree(images)
    codec = published_codecs('factorized-prior-s8 photo codecs',
                             f'{REPO}/configs/codec/metafile.yml')[32]
    run_tool([
        PYTHON, 'tools/compress_dataset.py', codec,
        str(images),
        str(latents), '--size', '64', '64', '--val-fraction', '0.3',
        '--workers', '1'
    ],
             cwd=REPO)
    split = {
        part:
        sorted(
            str(p.relative_to(latents / part))
            for p in (latents / part).rglob('*.cdi'))
        for part in ('train', 'val')
    }
    assert not set(split['train']) & set(split['val'])
    assert len(split['train']) + len(split['val']) == 10 * len(CLASSES)
    assert 3 <= len(split['val']) <= 18  # about 30 % of 30
    assert sorted(os.listdir(latents / 'train')) == list(CLASSES)
    assert (latents / 'cdi_codec.json').exists()

    config = tmp_path / 'my_latents.py'
    config.write_text(  # the README's config, then sizes for a test
        f"_base_ = ['{REPO}/configs/cresnet/"
        "cresnet51-w32_c32-preencoded_lite2-distilled_1xb32-2k_latent-folder"
        ".py']\n"
        f"data_root = '{latents}'\n"
        'train_dataloader = dict(dataset=dict(data_root=data_root))\n'
        'val_dataloader = dict(dataset=dict(data_root=data_root))\n'
        'test_dataloader = dict(dataset=dict(data_root=data_root))\n'
        f'model = dict(head=dict(num_classes={len(CLASSES)}))\n'
        '# test sizes\n'
        'train_cfg = dict(max_iters=4, val_interval=4)\n'
        'default_hooks = dict(checkpoint=dict(interval=4))\n'
        'loader = dict(num_workers=0, persistent_workers=False)\n'
        'train_dataloader.update(batch_size=4, **loader)\n'
        'val_dataloader.update(loader)\n'
        'test_dataloader.update(loader)\n')
    work = tmp_path / 'work'
    trained = run_tool(
        [PYTHON, 'tools/train.py',
         str(config), '--work-dir',
         str(work)],
        cwd=REPO)
    assert ('load backbone in model from: checkpoints/cresnet51-w32_c32-'
            'preencoded_lite2-simkd_') in trained.stdout + trained.stderr
    ckpt = str(work / 'iter_4.pth')
    tested = run_tool([
        PYTHON, 'tools/test.py',
        str(config), ckpt, '--work-dir',
        str(work / 'test')
    ],
                      cwd=REPO)
    assert 'accuracy/top1' in tested.stdout + tested.stderr
    sample = latents / 'val' / split['val'][0]
    inferred = run_tool(
        [PYTHON, 'tools/infer.py',
         str(config), ckpt,
         str(sample)], cwd=REPO)
    assert any(name in inferred.stdout for name in CLASSES)
