"""Tables and rate-accuracy plots of the photo operating points
(``tools/experiments/run_plan.py``, ``plans/photo_operating_points.yml``).

    python tools/analysis_tools/photo_results.py WORK_DIR \
        [--out WORK_DIR/results] [--previous RESULTS.csv ...]

For every run folder ``<config>[_<codec hash>]_seed<k>`` of ``WORK_DIR`` that
has reached its config's ``max_iters`` (runs still training are listed under
the tables and kept out of them): the last validation top-1 (photo objects)
or mIoU (photo scenes) on the held-out objects from mmengine's
``vis_data/scalars.json`` (all sessions of a resumed run), the learning
curve, the test metric on ``val_seen`` (training objects on held-out photos,
``tools/test.py`` into ``RUN/test``), and per config the mean and range over
seeds. Rows that read a codec get the bpp of the held-out images
from the real ``.cdi`` bytes of the encoded data set
(``data/photo_objects_c<C>/val``, ``data/photo_scenes_c<C>/img_dir/val``), and
every row the GFLOPs of its task network (mmengine's counter, multiply-adds, at
the val size). Writes ``OUT.md`` (tables), ``OUT.csv`` (one row per run) and
``OUT_<task>.png`` (accuracy against bpp per network, the RGB reference as a
line). ``--previous`` adds the finished runs of earlier ``OUT.csv`` files
(e.g. ``docs/photo_operating_points_interim.csv``, the committed ledger of
earlier sessions whose work dirs are gone) that ``WORK_DIR`` has no folder
for.
"""
import argparse
import csv
import functools
import glob
import importlib
import os
import os.path as osp
import re
from collections import defaultdict

import numpy as np
from mmengine.config import Config
from mmengine.registry import DefaultScope

from cdi_mm.apis.cli import run_tool
from cdi_mm.evaluation.complexity import count_flops
from cdi_mm.evaluation.run_records import heldout_bpp, test_metric, val_curve

RUN = re.compile(
    r'^(?P<config>.+?)(_(?P<hash>[0-9a-f]{8}))?_seed(?P<seed>\d+)$')
SPLITS = dict(seen='seen objects (test)', mean='held-out objects (val)')
# task: (metric, its label, configs/ and data/ folder, val images under it, val
# size)
TASKS = {
    'photo-objects':
    ('accuracy/top1', 'top-1 (%)', 'photo_objects', 'val', 224),
    'photo-scenes': ('mIoU', 'mIoU (%)', 'photo_scenes', 'img_dir/val', 256)
}


def previous_runs(paths, present):
    """Finished runs recorded in earlier ``OUT.csv`` files, less those in
    ``present`` ((config, codec, seed) keys); a later file wins over an earlier
    one."""
    recorded = {}
    for path in paths:
        with open(path, newline='') as f:
            for row in csv.DictReader(f):
                if row['finished'] != 'True':
                    continue
                key = (row['config'], row['codec'], int(row['seed']))
                recorded[key] = dict(
                    row,
                    seed=key[2],
                    iteration=int(row['iteration']),
                    finished=True,
                    value=float(row['value']),
                    seen=float(row['seen']) if row['seen'] else None)
    return [row for key, row in sorted(recorded.items()) if key not in present]


@functools.lru_cache(maxsize=None)
def load_config(path):
    return Config.fromfile(path)


def task_gflops(config, size):
    """Multiply-adds (G) of the config's network on one val input (latent or
    image)."""
    cfg = load_config(config)
    scope = cfg.get('default_scope', 'mmpretrain')
    registry = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        model = registry.MODELS.build(cfg.model)
    channels = cfg.model.backbone.get('in_channels', 3)
    side = size // 8 if channels != 3 else size
    return count_flops(model, (channels, side, side))[0] / 1e9


def network_of(config):
    if 'cresnet' in config:
        depth = re.search(r'cresnet(\d+)', config).group(1)
        return f'cResNet-{depth} (latent)'
    return 'ResNet-50 (decoded)' if 'decoded' in config else 'ResNet-50 (RGB)'


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('work_dir')
    parser.add_argument(
        '--out', help='output prefix (default WORK_DIR/results)')
    parser.add_argument(
        '--data', default='data', help='where the encoded data sets are')
    parser.add_argument(
        '--previous',
        nargs='+',
        default=[],
        metavar='CSV',
        help='earlier OUT.csv files: their finished runs join the tables '
        'where WORK_DIR has no folder for the run')
    return parser.parse_args()


def main():
    args = parse_args()
    out = args.out or osp.join(args.work_dir, 'results')
    rows = []
    for run_dir in sorted(glob.glob(osp.join(args.work_dir, '*_seed*'))):
        match = RUN.match(osp.basename(run_dir))
        if not match or not osp.isdir(run_dir):
            continue
        config = match['config']
        task = config.rsplit('_', 1)[-1]
        if task not in TASKS:
            continue
        curve = val_curve(run_dir, TASKS[task][0])
        if not curve:
            continue
        max_iters = load_config(
            f'configs/{TASKS[task][2]}/{config}.py').train_cfg.max_iters
        rows.append(
            dict(
                config=config,
                codec=match['hash'] or '',
                seed=int(match['seed']),
                iteration=curve[-1][0],
                finished=curve[-1][0] >= max_iters,
                value=curve[-1][1],
                seen=test_metric(run_dir, TASKS[task][0]),
                curve=' '.join(f'{i}:{v:.2f}' for i, v in curve)))
    present = {(r['config'], r['codec'], r['seed']) for r in rows}
    rows += previous_runs(args.previous, present)
    if not rows:
        raise FileNotFoundError(
            f'no finished validations under {args.work_dir}/*_seed*')
    with open(f'{out}.csv', 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    runs = defaultdict(list)
    for row in rows:
        if row['finished']:
            task = row['config'].rsplit('_', 1)[-1]
            runs[(task, row['config'], row['codec'])].append(row)
    unfinished = [row for row in rows if not row['finished']]
    lines = []
    for task, (metric, label, folder, val_dir, size) in TASKS.items():
        table = []
        for (t, config, codec), done in sorted(runs.items()):
            if t != task:
                continue
            c = re.search(r'_c(\d+)-', config)
            bpp = None
            if c:
                bpp = heldout_bpp(
                    osp.join(args.data, f'{folder}_c{c[1]}', val_dir))
            values = np.array([r['value'] for r in done])
            seen = np.array([r['seen'] for r in done if r['seen'] is not None])
            table.append(
                dict(
                    seen=seen.mean() if len(seen) else None,
                    seen_range=(seen.min(), seen.max()) if len(seen) else None,
                    network=network_of(config),
                    C=int(c[1]) if c else None,
                    bpp=bpp,
                    gflops=task_gflops(f'configs/{folder}/{config}.py', size),
                    mean=values.mean(),
                    low=values.min(),
                    high=values.max(),
                    seeds=len(values),
                    iteration=max(r['iteration'] for r in done),
                    config=config,
                    codec=codec))
        if not table:
            continue
        lines += [
            f'### {task}: {label}', '',
            '| network | C | bpp (val, real bytes) | task GFLOPs | held-out '
            'objects (val): mean | range | seen objects, new photos (test): '
            'mean | range | seeds | iterations | config |',
            '|---|---|---|---|---|---|---|---|---|---|---|'
        ]
        for r in sorted(table, key=lambda r: (r['C'] or 0, r['network'])):
            bpp = '—' if r['bpp'] is None else f"{r['bpp']:.4f}"
            seen, seen_range = '—', '—'
            if r['seen'] is not None:
                seen = f"{r['seen']:.2f}"
                low, high = r['seen_range']
                seen_range = f'{low:.2f}–{high:.2f}'
            lines.append(
                f"| {r['network']} | {r['C'] or '—'} | {bpp} | "
                f"{r['gflops']:.3f} | {r['mean']:.2f} | "
                f"{r['low']:.2f}–{r['high']:.2f} | {seen} | {seen_range} | "
                f"{r['seeds']} | {r['iteration']} | `{r['config']}` |")
        lines.append('')
        plot(table, label, f'{out}_{task}.png')
    if unfinished:
        lines += [
            'Still training (not in the tables): ' + ', '.join(
                f"{r['config']} seed {r['seed']} at iteration {r['iteration']}"
                for r in unfinished) + '.', ''
        ]
    with open(f'{out}.md', 'w') as f:
        f.write('\n'.join(lines))
    print('\n'.join(lines))
    print(f'wrote {out}.md, {out}.csv and the plots')


def plot(table, label, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for network in sorted({r['network'] for r in table}):
        rows = sorted((r for r in table
                       if r['network'] == network and r['bpp'] is not None),
                      key=lambda r: r['bpp'])
        for key, style in (('seen', '-'), ('mean', ':')):
            points = [(r['bpp'], r[key],
                       *(r['seen_range'] if key == 'seen' else
                         (r['low'], r['high']))) for r in rows
                      if r[key] is not None]
            if points:
                x, y, low, high = map(np.array, zip(*points))
                ax.errorbar(
                    x,
                    y,
                    yerr=[y - low, high - y],
                    marker='o',
                    capsize=3,
                    linestyle=style,
                    label=f"{network}, {SPLITS[key]}")
    for r in table:
        if r['bpp'] is None:
            for key, style in (('seen', '--'), ('mean', ':')):
                if r[key] is not None:
                    ax.axhline(
                        r[key],
                        color='k',
                        linestyle=style,
                        label=f"{r['network']} (24 bpp), {SPLITS[key]}")
    ax.set_xlabel('bits per pixel (held-out, real bytes)')
    ax.set_ylabel(label)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


if __name__ == '__main__':
    run_tool(main)
