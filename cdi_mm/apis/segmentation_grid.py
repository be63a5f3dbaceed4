"""A grid of segmentation overlays: scene, ground truth and each model's
prediction, one val scene per row."""
import glob
import os
import os.path as osp

import mmcv
import numpy as np
from PIL import Image, ImageDraw

from cdi_mm.codecs import to_uint8_hwc
from .image_io import read_image
from .inference import inference

__all__ = ['model_input', 'segmentation_grid']

#: Height of the title row of the grid (pixels).
TITLE_HEIGHT = 18


def model_input(model, name, split='val'):
    """The file a segmenter reads for scene ``name`` (no suffix): the one
    ``name.*`` in its test data set's ``data_root / img_dir / <split>`` (a
    ``.cdi`` for pre-encoded configs, an image otherwise).

    Raises:
        FileNotFoundError: None or several files of that name.
    """
    dataset = model.cfg.test_dataloader.dataset
    folder = osp.join(dataset.data_root,
                      osp.dirname(dataset.data_prefix['img_path']), split)
    found = glob.glob(osp.join(glob.escape(folder), glob.escape(name) + '.*'))
    if len(found) != 1:
        raise FileNotFoundError(
            f'{len(found)} files named {name}.* in {folder} (the test data of '
            f'{model.cfg.filename}); expected one')
    return found[0]


def _blend(image, mask, palette):
    """Class colours blended over the image; background (0) and ignored (255)
    pixels show the image as it is."""
    shown = (mask != 0) & (mask != 255)
    out = image.copy()
    out[shown] = (0.5 * image[shown] + 0.5 * palette[mask[shown]]).astype(
        np.uint8)
    return out


def segmentation_grid(scene_root, models, out, count=6, split='val'):
    """Write a PNG grid: per row, a scene of ``scene_root`` (mmseg layout,
    ``img_dir/<split>`` and ``ann_dir/<split>``), its ground truth and each
    model's prediction blended over it (class colours of the first model's
    ``dataset_meta['palette']``, background left clear); a title row names
    the columns.

    Args:
        scene_root (str): The original scenes (images and masks).
        models (Sequence[tuple[str, nn.Module]]): ``(title, model)`` pairs,
            models from :func:`init_model`; each reads its own input for a
            scene (:func:`model_input`).
        out (str): PNG path to write.
        count (int): Scenes (rows), the first ``count`` by name.
        split (str): Which split's scenes.

    Returns:
        str: ``out``.
    """
    palette = np.array(models[0][1].dataset_meta['palette'], np.uint8)
    names = sorted(
        osp.splitext(f)[0]
        for f in os.listdir(osp.join(scene_root, 'img_dir', split)))[:count]
    rows = []
    for name in names:
        image = to_uint8_hwc(
            read_image(osp.join(scene_root, 'img_dir', split,
                                name + '.png'))[0])
        # as mmseg's LoadAnnotations reads a mask: class ids, unchanged
        truth = mmcv.imread(
            osp.join(scene_root, 'ann_dir', split, name + '.png'),
            flag='unchanged',
            backend='pillow')
        masks = [truth] + [
            inference(model, model_input(model, name, split))['mask']
            for _, model in models
        ]
        rows.append(
            np.concatenate(
                [image] + [_blend(image, m, palette) for m in masks], axis=1))
    grid = np.concatenate(rows, axis=0)
    side = grid.shape[1] // (2 + len(models))
    canvas = Image.new('RGB', (grid.shape[1], grid.shape[0] + TITLE_HEIGHT),
                       'white')
    canvas.paste(Image.fromarray(grid), (0, TITLE_HEIGHT))
    draw = ImageDraw.Draw(canvas)
    for i, title in enumerate(['scene', 'ground truth'] +
                              [t for t, _ in models]):
        draw.text((i * side + 4, 3), title, fill='black')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    canvas.save(out)
    return out
