"""What a finished training run left behind, read back for results tables:
mmengine's ``vis_data/scalars.json`` (all sessions of a resumed run),
``tools/test.py`` outputs, and the real bytes of a pre-encoded data set."""
import glob
import json
import os.path as osp

from cdi_mm.codecs import unpack

__all__ = ['heldout_bpp', 'test_metric', 'train_curve', 'val_curve']


def val_curve(run_dir, metric):
    """[(iteration, value)] of every validation of a run, over all its
    sessions.

    mmengine's logger writes a validation with ``step`` = the epoch (0
    throughout an iteration-based run), so its iteration is that of the
    training record before it (``iter``), or ``step`` when there is none.
    """
    points = {}
    for path in sorted(
            glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json'))):
        last_iter = None
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if metric in record:
                    step = record['step'] if last_iter is None else last_iter
                    points[step] = record[metric]
                elif 'iter' in record:
                    last_iter = record['iter']
    return sorted(points.items())


def train_curve(run_dir, key='loss'):
    """[(iteration, value)] of a training scalar (default the loss) at every
    logging interval of a run, over all its sessions."""
    points = {}
    for path in sorted(
            glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if key in record and 'iter' in record:
                    points[record['iter']] = record[key]
    return sorted(points.items())


def test_metric(run_dir, metric):
    """The metric of the newest ``tools/test.py`` run in ``RUN_DIR/test``
    (val_seen), or None."""
    files = sorted(glob.glob(osp.join(run_dir, 'test', '*', '*.json')))
    if not files:
        return None
    with open(files[-1]) as f:
        return json.load(f).get(metric)


def heldout_bpp(data_root):
    """Mean bpp of the ``.cdi`` files under ``data_root`` from their real
    bytes."""
    bits = pixels = 0
    for path in glob.glob(osp.join(data_root, '**', '*.cdi'), recursive=True):
        with open(path, 'rb') as f:
            data = f.read()
        height, width = unpack(data).image_size
        bits += 8 * len(data)
        pixels += height * width
    return bits / pixels if pixels else float('nan')
