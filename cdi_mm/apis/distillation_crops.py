"""Write distillation data: augmented crops of unlabelled photos with a
frozen teacher's logits beside them.

Offline distillation in the spirit of Asano and Saeed, "The augmented image
prior" (ICLR 2023) and Beyer et al., "Knowledge distillation: a good teacher is
patient and consistent" (CVPR 2022): the teacher labels each strongly
augmented crop once; students (on codec latents or on decoded images) train
from the stored logits, many epochs, at no further teacher cost. Layout::

    OUT/distillation.json            what wrote it (teacher, sources, seed)
    OUT/shard-00000/000000.png       224x224 crops (lossless)
    OUT/shard-00000/teacher_logits.npy   (n, 1000) float16, file order
    OUT/shard-00000/teacher_features.npy (n, 1280, s, s) float16, with
                                         ``feature_size=s`` only

A shard is written under a temporary name and renamed when complete, so a
killed run loses at most the shards in flight and a rerun writes only the
missing ones; every sample's augmentation comes from ``(seed, shard, index)``,
so a rerun (or another machine running other shards) writes the same crops.
``tools/compress_dataset.py OUT OUT_c32`` then encodes the crops (the logits
files are copied along) and ``tools/decompress_dataset.py`` decodes them for
the decoded-image twin.

Two modes: ``'augment'`` (random resized crops down to ``min_scale`` of the
area, horizontal flips, colour jitter, CutMix) for training data, ``'view'``
(each source image once: the largest centre square, resized) for held-out
evaluation data, where every row also records the teacher's top-1.
:func:`teacher_agreement` runs the teacher again on other versions of the
views (e.g. a codec's reconstructions): how often it still agrees with
itself bounds what any student that sees only those versions can reach.
"""
import json
import os
import os.path as osp
import shutil
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from tqdm import tqdm

from cdi_mm.codecs import IMAGE_SUFFIXES
from .dataset_codec import atomic_write
from .image_io import read_image

__all__ = [
    'CROP_SIZE', 'FEATURES_FILE', 'IMAGENET_LABELLED_PHOTOS', 'LOGITS_FILE',
    'MANIFEST', 'augmented_crop', 'find_source_images', 'teacher_agreement',
    'write_distillation_crops'
]

CROP_SIZE = 224
LOGITS_FILE = 'teacher_logits.npy'
FEATURES_FILE = 'teacher_features.npy'
MANIFEST = 'distillation.json'
#: Photos of the pool with known ImageNet classes (index lists in
#: mmpretrain's order): evaluation only, never distillation data.
IMAGENET_LABELLED_PHOTOS = {
    'chelsea': (281, 282, 285),  # tabby, tiger cat, Egyptian cat
    'coffee': (967, 968, 504),  # espresso, cup, coffee mug
    'rocket': (657, 744, 812),  # missile, projectile, space shuttle
    'motorcycle_left': (665, 670),  # moped, motor scooter
    'motorcycle_right': (665, 670),
}


def find_source_images(folders, exclude=tuple(IMAGENET_LABELLED_PHOTOS)):
    """Image files under ``folders`` (recursive, sorted), without those whose
    stem is in ``exclude``.

    Raises:
        FileNotFoundError: A folder that does not exist, or no images at all.
    """
    found = []
    for folder in folders:
        if not osp.isdir(folder):
            raise FileNotFoundError(f'no such photo folder: {folder}')
        for dirpath, dirnames, files in os.walk(folder, followlinks=True):
            dirnames.sort()
            for name in sorted(files):
                stem, suffix = osp.splitext(name)
                if suffix.lower() in IMAGE_SUFFIXES and stem not in exclude:
                    found.append(osp.join(dirpath, name))
    if not found:
        raise FileNotFoundError(
            f'no images under {", ".join(folders)} (after excluding '
            f'{len(exclude)} ImageNet-labelled photos)')
    return found


def _resized_crop(image, top, left, height, width, size):
    crop = image[:, :, top:top + height, left:left + width]
    return F.interpolate(
        crop,
        size=(size, size),
        mode='bilinear',
        antialias=True,
        align_corners=False)


def _random_resized_crop(image, rng, min_scale, size):
    """torchvision's RandomResizedCrop sampling (area in [min_scale, 1],
    log-uniform aspect in [3/4, 4/3], 10 tries, then the centre square)."""
    _, _, height, width = image.shape
    area = height * width
    for _ in range(10):
        target = area * rng.uniform(min_scale, 1.0)
        ratio = np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3)))
        w = int(round(np.sqrt(target * ratio)))
        h = int(round(np.sqrt(target / ratio)))
        if 0 < w <= width and 0 < h <= height:
            top = int(rng.integers(0, height - h + 1))
            left = int(rng.integers(0, width - w + 1))
            return _resized_crop(image, top, left, h, w, size)
    side = min(height, width)
    return _resized_crop(image, (height - side) // 2, (width - side) // 2,
                         side, side, size)


def _luma(crop):
    return (crop *
            crop.new_tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(
                1, True)


def _colour_jitter(crop, rng, strength=0.4):
    """Brightness, contrast and saturation factors in ``1 +- strength`` (in a
    random order), as torchvision's ColorJitter; ``crop`` in [0, 1]."""
    for op in rng.permutation(3):
        factor = float(rng.uniform(1 - strength, 1 + strength))
        grey = _luma(crop)
        if op == 0:
            crop = crop * factor
        elif op == 1:
            crop = (crop - grey.mean()) * factor + grey.mean()
        else:
            crop = (crop - grey) * factor + grey
        crop = crop.clamp(0, 1)
    return crop


def augmented_crop(images,
                   rng,
                   min_scale=0.08,
                   cutmix_prob=0.5,
                   size=CROP_SIZE):
    """One strongly augmented ``size`` x ``size`` crop of a random source.

    Args:
        images (list[Tensor]): Source photos, ``(1, 3, H, W)`` in [0, 1].
        rng (np.random.Generator): The sample's generator.
        min_scale (float): Smallest crop area, as a fraction of the photo.
        cutmix_prob (float): Chance of pasting a box (area ``U(0, 1)``) of a
            second crop (CutMix, Yun et al., ICCV 2019).
        size (int): Output side.

    Returns:
        Tensor: ``(1, 3, size, size)`` in [0, 1].
    """

    def one_view():
        crop = _random_resized_crop(images[rng.integers(len(images))], rng,
                                    min_scale, size)
        if rng.random() < 0.5:
            crop = crop.flip(-1)
        if rng.random() < 0.8:
            crop = _colour_jitter(crop, rng)
        return crop

    crop = one_view()
    if rng.random() < cutmix_prob:
        other = one_view()
        cut = np.sqrt(rng.uniform(0.0, 1.0))
        h, w = int(size * cut), int(size * cut)
        top = int(rng.integers(0, size - h + 1))
        left = int(rng.integers(0, size - w + 1))
        crop[:, :, top:top + h, left:left + w] = other[:, :, top:top + h,
                                                       left:left + w]
    return crop.clamp(0, 1)


def _centre_view(image, size=CROP_SIZE):
    _, _, height, width = image.shape
    side = min(height, width)
    return _resized_crop(image, (height - side) // 2, (width - side) // 2,
                         side, side, size).clamp(0, 1)


def _to_uint8(crop):
    return (crop[0] * 255).round().to(torch.uint8)


def _write_shard(out, shard, crops, names, teacher, batch_size, feature_size):
    final = osp.join(out, f'shard-{shard:05d}')
    tmp = f'{final}.tmp{os.getpid()}'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    pixels = torch.stack([_to_uint8(c) for c in crops])
    logits, features = [], []
    for start in range(0, len(pixels), batch_size):
        batch = teacher.to_teacher_input(pixels[start:start + batch_size])
        out_logits, out_features = teacher(batch, return_features=True)
        logits.append(out_logits)
        if feature_size:
            features.append(
                F.adaptive_avg_pool2d(out_features, feature_size).half())
    logits = torch.cat(logits).numpy().astype(np.float16)
    if feature_size:
        np.save(osp.join(tmp, FEATURES_FILE), torch.cat(features).numpy())
    for name, image in zip(names, pixels):
        Image.fromarray(image.permute(1, 2,
                                      0).numpy()).save(osp.join(tmp, name))
    np.save(osp.join(tmp, LOGITS_FILE), logits)
    with open(osp.join(tmp, 'files.txt'), 'w') as f:
        f.write(''.join(f'{n}\n' for n in names))
    os.replace(tmp, final)


def _check_manifest(out, manifest):
    path = osp.join(out, MANIFEST)
    if osp.exists(path):
        with open(path) as f:
            old = json.load(f)
        keys = ('mode', 'teacher', 'sources', 'seed', 'shard_size',
                'min_scale', 'cutmix_prob', 'feature_size')
        changed = [k for k in keys if old.get(k) != manifest.get(k)]
        if changed:
            raise ValueError(
                f'{out} holds distillation crops written with other settings '
                f'({", ".join(changed)} differ); choose a new output folder')
        return
    atomic_write(path, json.dumps(manifest, indent=1).encode())


def write_distillation_crops(folders,
                             out,
                             num_shards=1,
                             shard_size=256,
                             mode='augment',
                             seed=0,
                             teacher='lite2',
                             min_scale=0.08,
                             cutmix_prob=0.5,
                             shards=None,
                             batch_size=32,
                             exclude=tuple(IMAGENET_LABELLED_PHOTOS),
                             feature_size=None):
    """Write (or complete) a folder of teacher-labelled crops.

    Args:
        folders (Sequence[str]): Photo folders (recursive).
        out (str): Output root.
        num_shards (int): Shards of ``shard_size`` crops (``'augment'``).
        shard_size (int): Crops per shard.
        mode (str): ``'augment'`` or ``'view'`` (one centre view of each
            image, for held-out evaluation; ``num_shards`` is ignored).
        seed (int): Augmentation seed.
        teacher (str): EfficientNet-Lite variant (see
            :class:`cdi_mm.models.teachers.EfficientNetLiteTeacher`).
        min_scale (float): Smallest crop area fraction (``'augment'``).
        cutmix_prob (float): CutMix probability (``'augment'``).
        shards (Iterable[int], optional): Only these shard indices (to split
            the work between processes or machines); default all.
        batch_size (int): Teacher batch size.
        exclude (Sequence[str]): Photo stems to leave out of ``'augment'``
            data (by default the ImageNet-labelled photos, kept for
            evaluation).
        feature_size (int, optional): Also store the teacher's final feature
            map, average-pooled to ``feature_size`` x ``feature_size``
            (float16; 7 matches a stride-32 student on 224 px crops), the
            target of feature distillation (:class:`ReusedTeacherClsHead`).

    Returns:
        dict: ``written`` and ``skipped`` shard counts, ``crops`` written,
        ``seconds``.
    """
    from cdi_mm.models.teachers import EfficientNetLiteTeacher
    if mode not in ('augment', 'view'):
        raise ValueError(f"mode must be 'augment' or 'view', got {mode!r}")
    if not 0 < min_scale <= 1:
        raise ValueError(f'min_scale must be in (0, 1], got {min_scale}')
    if feature_size is not None and feature_size < 1:
        raise ValueError(
            f'feature_size must be a positive side, got {feature_size}')
    # held-out views keep the labelled photos: they are evaluation data
    paths = find_source_images(folders, exclude if mode == 'augment' else ())
    if mode == 'view':
        num_shards = -(-len(paths) // shard_size)
    manifest = dict(
        format='cdi_mm-distillation-crops',
        mode=mode,
        teacher=f'efficientnet-{teacher}',
        sources=[
            osp.relpath(p, osp.commonpath(list(folders) +
                                          [p])) if len(folders) == 1 else p
            for p in paths
        ],
        seed=seed,
        shard_size=shard_size,
        min_scale=min_scale if mode == 'augment' else None,
        cutmix_prob=cutmix_prob if mode == 'augment' else None,
        crop_size=CROP_SIZE,
        feature_size=feature_size)
    _check_manifest(out, manifest)
    model = EfficientNetLiteTeacher(teacher)
    images = [read_image(p) for p in paths]
    todo = [
        s for s in (range(num_shards) if shards is None else shards)
        if not osp.isdir(osp.join(out, f'shard-{s:05d}'))
    ]
    start, written = time.time(), 0
    for shard in tqdm(todo, desc=f'teacher-labelled shards -> {out}'):
        if mode == 'view':
            first = shard * shard_size
            chunk = paths[first:first + shard_size]
            crops = [
                _centre_view(images[first + i]) for i in range(len(chunk))
            ]
            names = [
                f'{first + i:06d}_{osp.splitext(osp.basename(p))[0]}.png'
                for i, p in enumerate(chunk)
            ]
        else:
            crops = [
                augmented_crop(images, np.random.default_rng([seed, shard, i]),
                               min_scale, cutmix_prob)
                for i in range(shard_size)
            ]
            names = [
                f'{shard * shard_size + i:06d}.png' for i in range(shard_size)
            ]
        _write_shard(out, shard, crops, names, model, batch_size, feature_size)
        written += len(crops)
    return dict(
        written=len(todo),
        skipped=num_shards - len(todo) if shards is None else None,
        crops=written,
        seconds=time.time() - start)


def teacher_agreement(views_root, images_root, teacher='lite2', batch_size=16):
    """The teacher's agreement with its own labels of held-out views when it
    sees other versions of the same views.

    With ``images_root`` the views as a codec decodes them
    (``tools/decompress_dataset.py``), this is the ceiling of any student
    that sees only what the codec keeps: a perfect copy of the teacher behind
    the codec agrees this often.

    Args:
        views_root (str): Held-out views (``mode='view'``) with the teacher's
            logits.
        images_root (str): The same shard folders and file names, other
            pixels (e.g. ``views_root`` decoded by a codec).
        teacher (str): The teacher that labelled the views.
        batch_size (int): Views per teacher batch.

    Returns:
        dict: ``top1`` / ``top5`` (%): the views' label among the teacher's
        top-1 / top-5 on ``images_root``; ``count``.

    Raises:
        FileNotFoundError: A view has no counterpart under ``images_root``.
    """
    from cdi_mm.datasets import TeacherLabelledDataset
    from cdi_mm.models.teachers import EfficientNetLiteTeacher
    views = TeacherLabelledDataset(views_root)
    model = EfficientNetLiteTeacher(teacher)
    labels, top5 = [], []
    for start in range(0, len(views), batch_size):
        batch = [
            views.get_data_info(i)
            for i in range(start, min(start + batch_size, len(views)))
        ]
        images = []
        for info in batch:
            path = osp.join(images_root,
                            osp.relpath(info['img_path'], views_root))
            if not osp.isfile(path):
                raise FileNotFoundError(
                    f'{path} not found: {images_root} must hold the views of '
                    f'{views_root} under the same names')
            images.append(read_image(path))
        pixels = torch.stack([_to_uint8(image) for image in images])
        with torch.no_grad():
            logits = model(model.to_teacher_input(pixels))
        labels += [info['gt_label'] for info in batch]
        top5.append(logits.topk(5, dim=1).indices)
    labels, top5 = torch.tensor(labels), torch.cat(top5)
    return dict(
        top1=100.0 * (top5[:, 0] == labels).float().mean().item(),
        top5=100.0 * (top5 == labels[:, None]).any(1).float().mean().item(),
        count=len(labels))
