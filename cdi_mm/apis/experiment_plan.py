"""Experiments as data: a plan names the runs of a comparison, and one
executor prepares the data, trains, resumes, skips and tests them.

A plan is a YAML file (``configs/experiments/*.yml``)::

    iters: 2000                  # a run is done when iter_2000.pth exists
    seeds: [0, 1]
    channels: [8, 16, 32]        # operating points: the published codec of
    codecs: factorized-prior-s8 photo codecs  # this metafile collection
    prepare: [photos, photo-objects]  # tools/prepare_data.py KIND (if missing)
    encode: [photo_objects]      # data/X -> data/X_c{C} (.cdi) -> ..-decoded
    runs:
      - config: configs/photo_objects/cresnet51-w32_c{C}-preencoded_....py
      - config: configs/photo_objects/resnet50-w16_rgb_....py  # once a seed
      - config: configs/photo_scenes/deeplabv2_cresnet51-w32-d8_c{C}-....py
        init_from: cresnet51-w32_c{C}-preencoded_1xb32-2k_photo-objects
        init_prefix: backbone.   # the classifier's backbone initialises it
    results: [tools/analysis_tools/photo_results.py, '{work_dir}']

A config with ``{C}`` runs once per operating point, one without once per
seed. Work dirs carry the codec's hash (``NAME_HASH_seedS``), so a newly
published codec gets new runs; the codecs come from ``configs/codec/
metafile.yml`` (publishing a codec updates only that file). A finished run
carried between sessions as ``checkpoints/in_progress/<work dir name>.pth``
counts as done. Every command is appended to ``WORK_DIR/commands.txt``.
"""
import dataclasses
import os
import os.path as osp
import re
import shutil
import subprocess
import sys

import yaml

__all__ = [
    'PlanError', 'PlannedRun', 'published_codecs', 'load_plan', 'expand_plan',
    'execute_plan'
]

_KEYS = {
    'iters', 'seeds', 'channels', 'codecs', 'prepare', 'encode', 'runs',
    'results', 'description'
}
_RUN_KEYS = {'config', 'init_from', 'init_prefix'}


class PlanError(ValueError):
    """A plan that cannot run: unknown keys, a missing config, a run that
    starts from a run the plan does not train before it."""


@dataclasses.dataclass
class PlannedRun:
    """One training run of an expanded plan.

    Args:
        name (str): The config's file name without ``.py``.
        config (str): Config path.
        work_dir (str): Where it trains (``NAME[_HASH]_seedS``).
        seed (int): ``randomness.seed``.
        init_from (str, optional): Checkpoint its backbone starts from (the
            finished checkpoint of an earlier run).
        init_prefix (str): ``init_cfg.prefix`` for ``init_from``.
    """
    name: str
    config: str
    work_dir: str
    seed: int
    init_from: str = None
    init_prefix: str = 'backbone.'


def published_codecs(collection, metafile='configs/codec/metafile.yml'):
    """The published codecs of a metafile collection by latent channels.

    Args:
        collection (str): ``In Collection`` of the codecs.
        metafile (str): The codec metafile.

    Returns:
        dict: ``{channels: weights path}``.
    """
    with open(metafile) as f:
        models = yaml.safe_load(f)['Models']
    codecs = {
        m['Metadata']['Latent channels']: m['Weights']
        for m in models
        if m.get('In Collection') == collection and m.get('Weights')
    }
    if not codecs:
        raise PlanError(f'{metafile} publishes no codec of the collection '
                        f'{collection!r}')
    return codecs


def load_plan(path):
    """Read and check a plan.

    Args:
        path (str): The plan's YAML file.

    Returns:
        dict: The plan.

    Raises:
        PlanError: Unknown keys, no runs, a missing config.
    """
    with open(path) as f:
        plan = yaml.safe_load(f)
    if not isinstance(plan, dict) or not plan.get('runs'):
        raise PlanError(f'{path}: a plan is a mapping with a list of runs')
    unknown = set(plan) - _KEYS
    if unknown:
        raise PlanError(f'{path}: unknown keys {sorted(unknown)} (known: '
                        f'{sorted(_KEYS)})')
    for run in plan['runs']:
        if set(run) - _RUN_KEYS or 'config' not in run:
            raise PlanError(f'{path}: a run names a config and optionally '
                            f'{sorted(_RUN_KEYS - {"config"})}, got {run}')
    return plan


def _hash_of(weights):
    return re.search(r'([0-9a-f]{8})\.pth$', weights).group(1)


def expand_plan(plan,
                work_dir,
                codecs=None,
                seeds=None,
                channels=None,
                only=None,
                exclude=None):
    """The plan's runs in order: per seed, each listed run at each operating
    point.

    Args:
        plan (dict): From :func:`load_plan`.
        work_dir (str): Root of the runs' work dirs.
        codecs (dict, optional): ``{channels: weights}`` (default: the
            plan's published codecs).
        seeds, channels (list, optional): Override the plan's.
        only, exclude (str, optional): Regular expressions on config names:
            keep the matching runs / leave them out.

    Returns:
        list[PlannedRun]

    Raises:
        PlanError: A missing config, a channel count without a published
            codec, or ``init_from`` naming no earlier run of the plan.
    """
    seeds = plan.get('seeds', [0]) if seeds is None else seeds
    channels = plan.get('channels', []) if channels is None else channels
    if codecs is None and any('{C}' in r['config'] for r in plan['runs']):
        codecs = published_codecs(plan['codecs'])
    runs = []
    for seed in seeds:
        done = {}
        for entry in plan['runs']:
            for c in (channels if '{C}' in entry['config'] else [None]):
                if c is not None and c not in codecs:
                    raise PlanError(f'no published codec with {c} latent '
                                    f'channels (have {sorted(codecs)})')
                config = entry['config'].replace('{C}', str(c))
                if not osp.isfile(config):
                    raise PlanError(f'no such config: {config}')
                name = osp.splitext(osp.basename(config))[0]
                tag = f'_{_hash_of(codecs[c])}' if c is not None else ''
                run = PlannedRun(name, config,
                                 osp.join(work_dir, f'{name}{tag}_seed{seed}'),
                                 seed)
                init = entry.get('init_from')
                if init:
                    init = init.replace('{C}', str(c))
                    if init not in done:
                        raise PlanError(
                            f'{name} starts from {init}, which the plan does '
                            'not train before it')
                    run.init_from = osp.join(done[init],
                                             f'iter_{plan["iters"]}.pth')
                    run.init_prefix = entry.get('init_prefix', 'backbone.')
                done[name] = run.work_dir
                if (only and not re.search(only, name)) or (
                        exclude and re.search(exclude, name)):
                    continue
                runs.append(run)
    return runs


class _Commands:
    """Runs commands, each recorded in ``WORK_DIR/commands.txt``."""

    def __init__(self, work_dir, log):
        self.record = osp.join(work_dir, 'commands.txt')
        self.log = log

    def __call__(self, *args):
        line = '+ ' + ' '.join(str(a) for a in args)
        self.log(line)
        with open(self.record, 'a') as f:
            f.write(line + '\n')
        subprocess.run([str(a) for a in args], check=True)


def _restore(checkpoint, carried_dir):
    """Put a finished run carried between sessions where the plan expects
    it."""
    carried = osp.join(carried_dir,
                       osp.basename(osp.dirname(checkpoint)) + '.pth')
    if not osp.exists(checkpoint) and osp.exists(carried):
        os.makedirs(osp.dirname(checkpoint), exist_ok=True)
        shutil.copyfile(carried, checkpoint)


def execute_plan(plan,
                 work_dir,
                 runs,
                 codecs=None,
                 channels=None,
                 python=sys.executable,
                 carried_dir='checkpoints/in_progress',
                 log=print):
    """Prepare and encode the data, then train (skip when done, resume when
    started) and test every run; then the plan's results command.

    Args:
        plan (dict): From :func:`load_plan`.
        work_dir (str): Root of the runs (``commands.txt`` goes here).
        runs (list[PlannedRun]): From :func:`expand_plan`.
        codecs (dict, optional): ``{channels: weights}`` for the encoding.
        channels (list, optional): The operating points to encode for
            (default: the plan's).
        python (str): Interpreter of the tools.
        carried_dir (str): Where finished runs carried between sessions lie.
        log (callable): Prints progress.
    """
    os.makedirs(work_dir, exist_ok=True)
    run = _Commands(work_dir, log)
    for kind in plan.get('prepare', []):
        if not osp.exists(f'data/{kind.replace("-", "_")}/manifest.json'):
            run(python, 'tools/prepare_data.py', kind)
    channels = plan.get('channels', []) if channels is None else channels
    if plan.get('encode'):
        codecs = codecs or published_codecs(plan['codecs'])
    for data in plan.get('encode', []):
        for c in channels:
            # both tools skip what is already there
            run(python, 'tools/compress_dataset.py', codecs[c], f'data/{data}',
                f'data/{data}_c{c}', '--batch-size', '16')
            run(python, 'tools/decompress_dataset.py', codecs[c],
                f'data/{data}_c{c}', f'data/{data}_c{c}-decoded')
    iters = plan['iters']
    for r in runs:
        final = osp.join(r.work_dir, f'iter_{iters}.pth')
        _restore(final, carried_dir)
        if not osp.exists(final):
            options = [f'randomness.seed={r.seed}']
            if r.init_from:
                _restore(r.init_from, carried_dir)
                options += [
                    'model.backbone.init_cfg.type=Pretrained',
                    f'model.backbone.init_cfg.checkpoint={r.init_from}',
                    f'model.backbone.init_cfg.prefix={r.init_prefix}'
                ]
            started = osp.isdir(r.work_dir) and any(
                f.startswith('iter_') for f in os.listdir(r.work_dir))
            run(python, 'tools/train.py', r.config, '--work-dir', r.work_dir,
                *(['--resume'] if started else []), '--cfg-options', *options)
        test_dir = osp.join(r.work_dir, 'test')
        if not (osp.isdir(test_dir) and any(
                f.endswith('.json') for _, _, files in os.walk(test_dir)
                for f in files)):
            run(python, 'tools/test.py', r.config, final, '--work-dir',
                test_dir)
    if plan.get('results'):
        run(python,
            *[a.replace('{work_dir}', work_dir) for a in plan['results']])
