"""Prepare the data sets cdi_mm uses, offline.

Examples::

    # full Fashion-MNIST (Debian: apt install dataset-fashion-mnist)
    python tools/prepare_data.py fashion-mnist \
        --src /usr/share/datasets/fashion-mnist --out data/fashion_mnist
    # segmentation scenes built from garments (default: the embedded subset)
    python tools/prepare_data.py fashion-scenes --out data/fashion_scenes
    # natural-photo pool for codec training / RD evaluation: photographs from
    # Debian's wallpaper packages (apt-get download + dpkg -x, nothing
    # installed), scikit-image's photos and any --extra folders
    python tools/prepare_data.py photos --out data/photos [--extra ~/Pictures]
    # photographed objects (Debian's tuxpaint-stamps-default cut-outs) on
    # photo-pool backgrounds: classification (224x224) and segmentation scenes
    # (256x256)
    python tools/prepare_data.py photo-objects --out data/photo_objects
    python tools/prepare_data.py photo-scenes --out data/photo_scenes
    # unlabelled photos for distillation (issue #36): every photographed stamp
    # but photo-objects' val objects, on the pool's training photos
    python tools/prepare_data.py object-photos --out data/object_photos
    # unlabelled photographs of animals, tools, monuments... for distillation:
    # the photos inside Debian's gcompris-qt-data (every 5th held out)
    python tools/prepare_data.py activity-photos --out data/activity_photos
    # more unlabelled photographs for distillation (Scratch backgrounds, Tux
    # Paint templates, Palapeli puzzles), training only
    python tools/prepare_data.py more-photos --out data/more_photos
"""
import argparse

from cdi_mm.apis.cli import run_tool
from cdi_mm.data_builders import (ACTIVITY_PACKAGE, DEBIAN_PHOTOS, MORE_PHOTOS,
                                  STAMPS_PACKAGE, fetch_debian_packages,
                                  write_activity_photos, write_fashion_mnist,
                                  write_fashion_scenes, write_more_photos,
                                  write_object_photos, write_photo_objects,
                                  write_photo_pool, write_photo_scenes)
from cdi_mm.datasets import EMBEDDED_ROOT


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='dataset', required=True)
    fm = sub.add_parser(
        'fashion-mnist', help='Fashion-MNIST IDX files -> PNG layout')
    fm.add_argument('--src', default='/usr/share/datasets/fashion-mnist')
    fm.add_argument('--out', default='data/fashion_mnist')
    fm.add_argument(
        '--train-per-class',
        type=int,
        default=None,
        help='keep the first N training images per class (default: all)')
    fm.add_argument('--test-per-class', type=int, default=None)
    fs = sub.add_parser(
        'fashion-scenes', help='segmentation scenes from garments')
    fs.add_argument('--out', default='data/fashion_scenes')
    fs.add_argument(
        '--garments',
        default=EMBEDDED_ROOT,
        help='Fashion-MNIST PNG layout to take garments from')
    fs.add_argument('--num-train', type=int, default=400)
    fs.add_argument('--num-val', type=int, default=100)
    fs.add_argument('--size', type=int, default=128)
    fs.add_argument('--seed', type=int, default=0)
    ph = sub.add_parser(
        'photos',
        help='natural-photo pool (Debian wallpaper photographs, '
        'scikit-image, local folders)')
    ph.add_argument('--out', default='data/photos')
    ph.add_argument(
        '--extra', nargs='*', default=[], help='more local photo folders')
    ph.add_argument(
        '--deb-cache',
        default='data/debian',
        help='where the Debian packages are downloaded and unpacked')
    ph.add_argument(
        '--no-debian',
        action='store_true',
        help='skip the Debian wallpaper packages')
    for name, (train, val, size) in (('photo-objects', (2000, 400, 224)),
                                     ('photo-scenes', (1000, 200, 256))):
        po = sub.add_parser(
            name, help=f'{name} from {STAMPS_PACKAGE} cut-outs on photos')
        po.add_argument('--out', default=f"data/{name.replace('-', '_')}")
        po.add_argument(
            '--photos',
            default='data/photos',
            help='the photo pool (backgrounds; train/ and val/)')
        po.add_argument(
            '--stamps',
            default=None,
            help='an unpacked tuxpaint-stamps-default '
            '(default: apt-get download + dpkg -x into --deb-cache)')
        po.add_argument('--deb-cache', default='data/debian')
        po.add_argument('--num-train', type=int, default=train)
        po.add_argument('--num-val', type=int, default=val)
        po.add_argument(
            '--num-val-seen',
            type=int,
            default=val,
            help='images of training objects on held-out photos (val_seen)')
        po.add_argument('--size', type=int, default=size)
        po.add_argument('--seed', type=int, default=0)
    op = sub.add_parser(
        'object-photos',
        help='unlabelled photos for distillation: photographed '
        f'{STAMPS_PACKAGE} objects of every kind on the pool\'s training '
        'photos (photo-objects val objects never appear)')
    op.add_argument('--out', default='data/object_photos')
    op.add_argument('--photos', default='data/photos')
    op.add_argument('--stamps', default=None)
    op.add_argument('--deb-cache', default='data/debian')
    op.add_argument('--count', type=int, default=4000)
    op.add_argument('--size', type=int, default=320)
    op.add_argument('--seed', type=int, default=0)
    ap = sub.add_parser(
        'activity-photos',
        help='unlabelled photographs (animals, tools, monuments...) from '
        f'{ACTIVITY_PACKAGE}, for distillation; every 5th held out')
    ap.add_argument('--out', default='data/activity_photos')
    ap.add_argument(
        '--package',
        default=None,
        help=f'an unpacked {ACTIVITY_PACKAGE} (default: apt-get download + '
        'dpkg -x into --deb-cache)')
    ap.add_argument('--deb-cache', default='data/debian')
    ap.add_argument('--size', type=int, default=320, help='short side')
    mp = sub.add_parser(
        'more-photos',
        help='more unlabelled photographs for distillation (Scratch '
        'backgrounds, Tux Paint templates, Palapeli puzzles), training only')
    mp.add_argument('--out', default='data/more_photos')
    mp.add_argument('--deb-cache', default='data/debian')
    mp.add_argument('--size', type=int, default=320, help='short side')
    return parser.parse_args()


def package_root(package, given, deb_cache, option):
    """An unpacked Debian package: given, or fetched without installing
    anything."""
    if given:
        return given
    roots, failures = fetch_debian_packages([package], deb_cache)
    if package not in roots:
        raise RuntimeError(f'could not fetch {package}: {failures[package]}; '
                           f'pass an unpacked copy with {option}')
    return roots[package]


def stamps_root(args):
    """The unpacked stamp package."""
    return package_root(STAMPS_PACKAGE, args.stamps, args.deb_cache,
                        '--stamps')


def main():
    args = parse_args()
    if args.dataset == 'fashion-mnist':
        per_class = {
            'train': args.train_per_class,
            'test': args.test_per_class
        }
        counts = write_fashion_mnist(args.src, args.out, per_class)
    elif args.dataset == 'fashion-scenes':
        counts = write_fashion_scenes(args.out, args.num_train, args.num_val,
                                      args.size, args.seed, args.garments)
    elif args.dataset in ('photo-objects', 'photo-scenes'):
        write = (
            write_photo_objects
            if args.dataset == 'photo-objects' else write_photo_scenes)
        counts = write(args.out, stamps_root(args), args.photos,
                       args.num_train, args.num_val, args.size, args.seed,
                       args.num_val_seen)
    elif args.dataset == 'activity-photos':
        counts = write_activity_photos(
            args.out,
            package_root(ACTIVITY_PACKAGE, args.package, args.deb_cache,
                         '--package'),
            short_side=args.size)
    elif args.dataset == 'more-photos':
        roots, failures = fetch_debian_packages(
            sorted(MORE_PHOTOS), args.deb_cache)
        if failures:
            raise RuntimeError('could not fetch ' + '; '.join(
                f'{p}: {why}' for p, why in sorted(failures.items())))
        counts = write_more_photos(args.out, roots, short_side=args.size)
    elif args.dataset == 'object-photos':
        counts = write_object_photos(args.out, stamps_root(args), args.photos,
                                     args.count, args.size, args.seed)
    else:
        roots = {}
        if not args.no_debian:
            roots, failures = fetch_debian_packages(
                sorted(DEBIAN_PHOTOS), args.deb_cache)
            for package, why in failures.items():
                print(f'photos: could not fetch Debian package {package}: '
                      f'{why}; continuing with the other sources')
        counts = write_photo_pool(args.out, args.extra, debian_roots=roots)
        for item in counts['missing']:
            print(
                f'photos: allow-listed file missing from its package: {item}')
    print(f'{args.dataset}: wrote {counts} to {args.out}')


if __name__ == '__main__':
    run_tool(main)
