"""More unlabelled photographs for distillation (issue #36), training only.

A student distilled on crops of a few hundred photos learns those photos; what
it agrees on in new photos grows with the number of *distinct* photos. This
module gathers the photographs of three more Debian packages (fetched with
``apt-get download``, unpacked with ``dpkg -x``; nothing is installed), by an
allow-list of paths (:data:`MORE_PHOTOS`):

* ``scratch`` (Scratch 1.4): 54 photo backgrounds of indoor, nature, outdoor
  and sports scenes (``Media/``: CC-BY-SA-3.0); its 7 drawn backgrounds and
  its costumes (mostly drawings) are left out;
* ``tuxpaint-data``: 19 photo templates (sheep, jellyfish, lighthouse, spider's
  web, bark, rocks, ...; GPL-2+);
* ``palapeli-data``: the 5 photos of the jigsaw collection (a bridge, a honey
  bee, a chameleon, a castle, citrus fruits; GPL-2+).

Every photo is downsampled (short side :data:`SHORT_SIDE`) and written as PNG
with exact duplicates dropped; none is held out (the held-out views of the
distillation runs come from the photo pool and the activity photos).
``manifest.json`` records package, file, licence (read from the package's DEP-5
``copyright`` file) and size of each.
"""
import fnmatch
import hashlib
import json
import os
import os.path as osp

from PIL import Image

from .photos import _downsample, debian_licence

__all__ = ['MORE_PHOTOS', 'write_more_photos']

#: Photographs by package: shell patterns of paths inside the package to take
#: and, among those, to leave out; looked at one by one (drawings, maps and
#: frames of the same packages are not taken).
MORE_PHOTOS = {
    'scratch':
    dict(
        take=('usr/share/scratch/Media/Backgrounds/*/*.jpg', ),
        leave=tuple(f'*/{name}.jpg'
                    for name in ('party-room', 'room1', 'room2', 'room3',
                                 'school2', 'spotlight-stage',
                                 'woods-and-bench'))),
    'tuxpaint-data':
    dict(take=('usr/share/tuxpaint/templates/*.jpg', ), leave=()),
    'palapeli-data':
    dict(take=('usr/share/palapeli/collection/*.jpg', ), leave=()),
}

#: Photos are downsampled so their short side is at most this many pixels.
SHORT_SIDE = 320


def _package_files(root, take, leave):
    """Paths (relative to ``root``, sorted) of the files matching a pattern
    of ``take`` and none of ``leave``."""
    found = []
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for name in files:
            rel = osp.relpath(osp.join(dirpath, name), root)
            if (any(fnmatch.fnmatch(rel, p) for p in take)
                    and not any(fnmatch.fnmatch(rel, p) for p in leave)):
                found.append(rel)
    return sorted(found)


def write_more_photos(out, debian_roots, short_side=SHORT_SIDE):
    """Write ``out/*.png`` and ``out/manifest.json``.

    Args:
        out (str): Output folder.
        debian_roots (dict[str, str]): Unpacked root per package of
            :data:`MORE_PHOTOS` (:func:`fetch_debian_packages`).
        short_side (int): Downsample so the short side is at most this.

    Returns:
        dict: ``written`` per package and ``duplicates`` left out.

    Raises:
        ValueError: A package that :data:`MORE_PHOTOS` does not list.
        FileNotFoundError: A listed package holds none of its photos.
    """
    unknown = sorted(set(debian_roots) - set(MORE_PHOTOS))
    if unknown:
        raise ValueError(f'no photo allow-list for {", ".join(unknown)}; '
                         f'known: {", ".join(sorted(MORE_PHOTOS))}')
    os.makedirs(out, exist_ok=True)
    seen, manifest = set(), []
    counts = dict(written={}, duplicates=0)
    for package, root in sorted(debian_roots.items()):
        files = _package_files(root, **MORE_PHOTOS[package])
        if not files:
            raise FileNotFoundError(
                f'{root} holds none of the {package} photos '
                f'({", ".join(MORE_PHOTOS[package]["take"])}): not an '
                f'unpacked {package}?')
        for rel in files:
            with open(osp.join(root, rel), 'rb') as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            if digest in seen:
                counts['duplicates'] += 1
                continue
            seen.add(digest)
            with Image.open(osp.join(root, rel)) as opened:
                image = _downsample(opened, short_side)
            name = f'{package}_{osp.splitext(osp.basename(rel))[0]}'
            image.save(osp.join(out, f'{name}.png'))
            manifest.append(
                dict(
                    name=name,
                    width=image.size[0],
                    height=image.size[1],
                    source='debian',
                    package=package,
                    file=rel,
                    licence=debian_licence(root, package, rel)))
            counts['written'][package] = counts['written'].get(package, 0) + 1
    with open(osp.join(out, 'manifest.json'), 'w') as f:
        json.dump(
            dict(kind='more-photos', short_side=short_side, photos=manifest),
            f,
            indent=1)
    return counts
