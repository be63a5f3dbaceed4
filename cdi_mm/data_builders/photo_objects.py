"""Photo objects (classification) and photo scenes (segmentation) from real
photographs.

Objects are the photographic cut-outs of Debian's ``tuxpaint-stamps-default``
(GPL-2): photographs with an alpha channel, so the alpha is an exact mask.
Classes are folders of the stamp tree with at least 10 distinct photographed
objects; drawn stamps (every ``cartoon/``, ``toys/`` and ``plastic/`` folder,
the few drawings outside them) and mirrored duplicates are left out. Whole
objects are held out for validation (never seen in training). Backgrounds are
crops of the photo pool (``tools/prepare_data.py photos``): train photos behind
train images, held-out photos behind val images.

* ``photo-objects``: one object per image (random scale, position, flip, colour
  jitter), 224x224 by default (the paper's geometry: 28x28xC latents);
  mmpretrain ``CustomDataset`` layout ``ROOT/{train,val}/<class>/<id>.png``.
* ``photo-scenes``: 1-4 objects per image with per-pixel masks (0 background,
  classes 1..K, later objects occlude earlier ones), 256x256 by default; mmseg
  layout ``ROOT/img_dir/{train,val}/<id>.png`` +
  ``ROOT/ann_dir/{train,val}/<id>.png``.

Both are a pure function of the seed, the stamp package and the photo pool, and
write a ``manifest.json`` (counts, classes, every object with its source file
and licence).
"""
import json
import os
import os.path as osp

import numpy as np
from PIL import Image, ImageEnhance

__all__ = [
    'OBJECT_CLASSES', 'STAMPS_PACKAGE', 'find_objects', 'split_objects',
    'write_photo_objects', 'write_photo_scenes', 'write_object_photos'
]

STAMPS_PACKAGE = 'tuxpaint-stamps-default'
STAMPS_DIR = 'usr/share/tuxpaint/stamps'
STAMPS_LICENCE = 'GPL-2'
#: class -> (folder under the stamp tree, drawn stamps to leave out), chosen by
#: looking at every stamp; sorted, as mmpretrain's CustomDataset orders class
#: folders.
OBJECT_CLASSES = {
    'bird': ('animals/birds', ()),
    'flower': ('plants/flowers', ()),
    'fruit': ('food/fruit', ()),
    'household': ('household', ()),
    'mammal': ('animals/mammals', ('echidna.png', 'hedgehog.png')),
    'sea_life': ('animals/fish', ()),
    'vegetable': ('food/vegetables', ()),
    'vehicle':
    ('vehicles', ('7spoke256.png', 'balloon360.png', 'sedan_police.png')),
}
_DRAWN_FOLDERS = ('cartoon', 'toys', 'plastic')
#: stamp folders of drawings only (letters, digits, signs), never objects
_SYMBOL_FOLDERS = ('symbols', )
_VAL_SHARE = 0.2


def find_objects(stamps_root):
    """``{class: [relative stamp paths]}`` of the photographed objects, sorted.

    Args:
        stamps_root (str): Folder that holds ``usr/share/tuxpaint/stamps`` (the
            unpacked package) or the stamp tree itself.
    """
    root = osp.join(stamps_root, STAMPS_DIR)
    root = root if osp.isdir(root) else stamps_root
    objects = {}
    for name, (folder, drawn) in OBJECT_CLASSES.items():
        found = []
        for dirpath, _, files in os.walk(osp.join(root, folder)):
            if set(osp.relpath(dirpath, root).split(
                    os.sep)) & set(_DRAWN_FOLDERS):
                continue
            found += [
                osp.relpath(osp.join(dirpath, f), root) for f in files
                if f.endswith('.png') and not f.endswith('_mirror.png')
                and f not in drawn
            ]
        objects[name] = sorted(found)
    return root, objects


def split_objects(objects):
    """Hold out whole objects: the last ``max(2, 20%)`` of each class in a
    fixed pseudo-random order (by name), so val objects are never seen in
    training."""
    train, val = {}, {}
    for name, paths in objects.items():
        order = sorted(paths, key=lambda p: (hash_name(p), p))
        held = max(2, round(_VAL_SHARE * len(paths)))
        train[name], val[name] = sorted(order[held:]), sorted(order[:held])
    return train, val


def hash_name(text):
    """A stable (not per-process salted) 32-bit hash of a string."""
    value = 2166136261
    for byte in text.encode():
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def _photos(pool_root, split):
    folder = osp.join(pool_root, 'train' if split == 'train' else 'val')
    paths = sorted(osp.join(folder, f)
                   for f in os.listdir(folder)) if osp.isdir(folder) else []
    if not paths:
        raise FileNotFoundError(
            f'no {split} photos in {folder}; build the photo pool first: '
            'python tools/prepare_data.py photos --out data/photos')
    return [Image.open(p).convert('RGB') for p in paths]


def _background(rng, photos, size):
    photo = photos[rng.integers(len(photos))]
    side = int(rng.integers(min(photo.size) // 2, min(photo.size) + 1))
    x, y = (int(rng.integers(0, s - side + 1)) for s in photo.size)
    return photo.crop((x, y, x + side, y + side)).resize((size, size),
                                                         Image.LANCZOS)


def _placed(rng, stamp, size, scale):
    """The stamp jittered (flip, brightness, contrast, saturation) and scaled
    so its longer side is ``scale * size``, with a random top-left corner
    inside the canvas."""
    if rng.random() < 0.5:
        stamp = stamp.transpose(Image.FLIP_LEFT_RIGHT)
    rgb, alpha = stamp.convert('RGB'), stamp.getchannel('A')
    for enhance in (ImageEnhance.Brightness, ImageEnhance.Contrast,
                    ImageEnhance.Color):
        rgb = enhance(rgb).enhance(float(rng.uniform(0.75, 1.25)))
    factor = scale * size / max(stamp.size)
    new = (max(1, round(stamp.width * factor)),
           max(1, round(stamp.height * factor)))
    rgb, alpha = rgb.resize(new,
                            Image.LANCZOS), alpha.resize(new, Image.LANCZOS)
    corner = tuple(int(rng.integers(0, size - s + 1)) for s in new)
    return rgb, alpha, corner


def _compose(rng, photos, stamps, classes, size, count, scale_range):
    """A background crop with ``count`` objects; returns image and class
    mask."""
    canvas = _background(rng, photos, size)
    mask = np.zeros((size, size), np.uint8)
    labels = []
    for _ in range(count):
        label = int(rng.integers(len(classes)))
        paths = stamps[classes[label]]
        stamp = Image.open(paths[rng.integers(len(paths))]).convert('RGBA')
        rgb, alpha, (x, y) = _placed(rng, stamp, size,
                                     float(rng.uniform(*scale_range)))
        canvas.paste(rgb, (x, y), alpha)
        covered = np.asarray(alpha) > 127
        mask[y:y + covered.shape[0],
             x:x + covered.shape[1]][covered] = label + 1
        labels.append(label)
    return canvas, mask, labels


def _write(out, kind, objects_root, pool_root, counts, size, seed, per_image,
           scale_range):
    root, objects = find_objects(objects_root)
    small = {k: len(v) for k, v in objects.items() if len(v) < 10}
    if small:
        raise ValueError(
            f'{root}: classes with fewer than 10 objects: {small}; is this '
            f'{STAMPS_PACKAGE}?')
    classes = list(OBJECT_CLASSES)
    splits = dict(zip(('train', 'val'), split_objects(objects)))
    rng = np.random.default_rng(seed)
    for split, count in counts.items():
        photos = _photos(pool_root,
                         split)  # held-out photos for val and val_seen
        objects_of = 'train' if split == 'val_seen' else split
        stamps = {
            k: [osp.join(root, p) for p in v]
            for k, v in splits[objects_of].items()
        }
        for index in range(count):
            image, mask, labels = _compose(rng, photos, stamps, classes, size,
                                           int(rng.integers(*per_image)),
                                           scale_range)
            name = f'{index:05d}.png'
            if kind == 'objects':
                path = osp.join(out, split, classes[labels[0]], name)
                os.makedirs(osp.dirname(path), exist_ok=True)
                image.save(path)
            else:
                for folder, picture in (('img_dir', image),
                                        ('ann_dir', Image.fromarray(mask))):
                    os.makedirs(osp.join(out, folder, split), exist_ok=True)
                    picture.save(osp.join(out, folder, split, name))
    manifest = dict(
        kind=f'photo-{kind}',
        seed=seed,
        size=size,
        counts=counts,
        classes=classes,
        source=f'Debian package {STAMPS_PACKAGE} ({STAMPS_DIR}), licence '
        f'{STAMPS_LICENCE}; backgrounds: the photo pool at {pool_root} (see '
        'its manifest.json)',
        objects={
            split: {
                k: [dict(file=p, licence=STAMPS_LICENCE) for p in v]
                for k, v in per_class.items()
            }
            for split, per_class in splits.items()
        })
    os.makedirs(out, exist_ok=True)
    with open(osp.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    return dict(
        counts,
        classes=len(classes),
        objects={
            s: sum(map(len, v.values()))
            for s, v in splits.items()
        })


def write_photo_objects(out,
                        objects_root,
                        pool_root,
                        num_train=2000,
                        num_val=400,
                        size=224,
                        seed=0,
                        num_val_seen=400):
    """Classification set: one object per image, its class the image's label.

    Splits: ``train`` (training objects on training photos), ``val`` (held-out
    objects on held-out photos: generalisation to unseen objects) and
    ``val_seen`` (training objects on held-out photos: recognition in new
    scenes). ``train`` and ``val`` do not depend on ``num_val_seen``.

    Args:
        out (str): Output root (``OUT/{train,val,val_seen}/<class>/<id>.png``).
        objects_root (str): The unpacked ``tuxpaint-stamps-default`` package.
        pool_root (str): The photo pool (``train/`` and ``val/`` photos).
        num_train (int): Training images. num_val (int): Validation images.
        size (int): Image side. seed (int): Everything follows from it.
        num_val_seen (int): Images of the ``val_seen`` split.

    Returns:
        dict: Image counts per split, the number of classes and of objects per
            split.
    """
    return _write(out, 'objects', objects_root, pool_root,
                  dict(train=num_train, val=num_val, val_seen=num_val_seen),
                  size, seed, (1, 2), (0.45, 0.9))


def write_photo_scenes(out,
                       objects_root,
                       pool_root,
                       num_train=1000,
                       num_val=200,
                       size=256,
                       seed=0,
                       num_val_seen=200):
    """Segmentation set: 1-4 objects per image, masks 0 (background) / 1..K.

    Args are those of :func:`write_photo_objects` (``OUT/img_dir``,
    ``OUT/ann_dir``).
    """
    return _write(out, 'scenes', objects_root, pool_root,
                  dict(train=num_train, val=num_val, val_seen=num_val_seen),
                  size, seed, (1, 5), (0.25, 0.6))


def find_unlabelled_objects(stamps_root):
    """Every stamp of the package that no ``photo-objects`` val split holds:
    all folders but those of drawings (``symbols/``, cartoon, toys, plastic),
    without mirrored duplicates, minus the held-out objects of
    :func:`split_objects`. The five drawings :data:`OBJECT_CLASSES` leaves out
    of its classes stay (5 of 383 stamps in the 2022.06.04 package)."""
    root, objects = find_objects(stamps_root)
    held = {p for paths in split_objects(objects)[1].values() for p in paths}
    found = []
    for dirpath, _, files in os.walk(root):
        parts = set(osp.relpath(dirpath, root).split(os.sep))
        if parts & set(_DRAWN_FOLDERS + _SYMBOL_FOLDERS):
            continue
        found += [
            osp.relpath(osp.join(dirpath, f), root) for f in files
            if f.endswith('.png') and not f.endswith('_mirror.png')
        ]
    return root, sorted(p for p in found if p not in held)


def write_object_photos(out,
                        objects_root,
                        pool_root,
                        count=4000,
                        size=320,
                        seed=0):
    """Unlabelled photos for distillation: 1-2 photographed objects of any
    kind (animals, food, buildings, vehicles, tools, ...) on crops of the
    pool's training photos.

    The objects ``photo-objects`` holds out for validation never appear, so
    views of its val split stay unseen objects on unseen photos.

    Args:
        out (str): Output folder (``OUT/NNNNN.png`` + ``manifest.json``).
        objects_root (str): The unpacked ``tuxpaint-stamps-default`` package.
        pool_root (str): The photo pool (its ``train/`` photos).
        count (int): Number of photos. size (int): Their side.
        seed (int): Everything follows from it.

    Returns:
        dict: ``images`` written and ``objects`` used.
    """
    root, found = find_unlabelled_objects(objects_root)
    if len(found) < 50:
        raise ValueError(f'{root}: only {len(found)} photographed objects; '
                         f'is this {STAMPS_PACKAGE}?')
    photos = _photos(pool_root, 'train')
    stamps = {'object': [osp.join(root, p) for p in found]}
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    for index in range(count):
        image, _, _ = _compose(rng, photos, stamps, ['object'], size,
                               int(rng.integers(1, 3)), (0.4, 0.95))
        image.save(osp.join(out, f'{index:05d}.png'))
    with open(osp.join(out, 'manifest.json'), 'w') as f:
        json.dump(
            dict(
                kind='object-photos',
                seed=seed,
                size=size,
                count=count,
                source=f'Debian package {STAMPS_PACKAGE} ({STAMPS_DIR}), '
                f'licence {STAMPS_LICENCE}; backgrounds: the training photos '
                f'of the photo pool at {pool_root} (see its manifest.json)',
                objects=[dict(file=p, licence=STAMPS_LICENCE) for p in found]),
            f,
            indent=1)
    return dict(images=count, objects=len(found))
