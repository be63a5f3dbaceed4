"""Run an experiment plan: prepare and encode its data, train (skip what is
done, resume what started) and test its runs, then make its tables.

    python tools/experiments/run_plan.py \
        tools/experiments/plans/photo_operating_points.yml \
        [--work-dir DIR] [--seeds 0] [--channels 8 32] [--only REGEX] \
        [--exclude REGEX] [--dry-run]

Two operating points side by side, one torch thread each, the RGB rows once:
``OMP_NUM_THREADS=1 ... --channels 8`` beside ``... --channels 32 --exclude
_rgb_``. The plan format: :mod:`cdi_mm.apis.experiment_plan`.
"""
import argparse
import os.path as osp

from cdi_mm.apis.cli import run_tool
from cdi_mm.apis.experiment_plan import execute_plan, expand_plan, load_plan


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('plan', help='the plan (YAML)')
    parser.add_argument(
        '--work-dir', help='root of the runs (default: work_dirs/<plan name>)')
    parser.add_argument('--seeds', type=int, nargs='+')
    parser.add_argument('--channels', type=int, nargs='+')
    parser.add_argument('--only', help='keep runs whose config name matches')
    parser.add_argument(
        '--exclude', help='leave out runs whose config name matches')
    parser.add_argument(
        '--dry-run',
        action='store_true',
        help='list the runs (work dir, seed, start) and stop')
    return parser.parse_args()


def main():
    args = parse_args()
    plan = load_plan(args.plan)
    work_dir = args.work_dir or osp.join(
        'work_dirs',
        osp.splitext(osp.basename(args.plan))[0])
    runs = expand_plan(
        plan,
        work_dir,
        seeds=args.seeds,
        channels=args.channels,
        only=args.only,
        exclude=args.exclude)
    if args.dry_run:
        for r in runs:
            start = f' <- {r.init_from}' if r.init_from else ''
            print(f'{r.work_dir}  seed {r.seed}{start}')
        return
    execute_plan(plan, work_dir, runs, channels=args.channels)


if __name__ == '__main__':
    run_tool(main)
