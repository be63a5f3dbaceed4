"""Print the published photo codec with C latent channels (its weights path in
``configs/codec/metafile.yml``, the one place a publication updates).

    python tools/misc/published_codec.py 32
"""
import argparse

from cdi_mm.apis.cli import run_tool
from cdi_mm.apis.experiment_plan import PlanError, published_codecs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('channels', type=int)
    parser.add_argument(
        '--collection', default='factorized-prior-s8 photo codecs')
    args = parser.parse_args()
    codecs = published_codecs(args.collection)
    if args.channels not in codecs:
        raise PlanError(f'no published codec with {args.channels} latent '
                        f'channels (have {sorted(codecs)})')
    print(codecs[args.channels])


if __name__ == '__main__':
    run_tool(main)
