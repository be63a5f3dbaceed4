"""The natural-photo pool for codec training and rate-distortion evaluation.

Built offline from three sources:

* photographs in Debian's wallpaper packages, fetched with ``apt-get download``
  and unpacked with ``dpkg -x`` (nothing is installed); only the files named in
  :data:`DEBIAN_PHOTOS` are used (renders, abstract art and logos are left
  out), and each photo's licence is read from its package's machine-readable
  ``copyright`` file;
* scikit-image's bundled photos (public domain / CC0, inside the pip package);
* any local photo folders the user names (``--extra``).

Every photo is downsampled with antialiasing so its short side is at most
:data:`SHORT_SIDE` pixels (which also removes the sources' JPEG artefacts) and
written as PNG. Whole photos are held out for validation (:data:`HELD_OUT`), so
no crop of a validation photo is ever seen in training. ``manifest.json``
records split, source, package, file, licence and size of every photo.
"""
import fnmatch
import json
import os
import os.path as osp
import shutil
import subprocess
import tempfile

import numpy as np
from PIL import Image

from cdi_mm.codecs import IMAGE_SUFFIXES

__all__ = [
    'DEBIAN_PHOTOS', 'HELD_OUT', 'SHORT_SIDE', 'SKIMAGE_PHOTOS',
    'fetch_debian_packages', 'debian_licence', 'skimage_photos',
    'write_photo_pool'
]

#: Natural photos bundled inside the scikit-image wheel (no download needed);
#: grayscale ones are replicated to RGB.
SKIMAGE_PHOTOS = ('astronaut', 'chelsea', 'coffee', 'rocket',
                  'hubble_deep_field', 'immunohistochemistry', 'retina',
                  'camera', 'coins', 'motorcycle_left', 'motorcycle_right')

#: The photographs (allow-list, by path inside the package) of Debian wallpaper
#: packages. Looked at one by one: renders, abstract art and logos are not
#: listed (all of ukui-wallpapers, mate's abstract/ and desktop/, lomiri's
#: Fossa, Infinite-Sea, umang, Painting-Colors and greentock, most of
#: plasma's).
DEBIAN_PHOTOS = {
    'mate-backgrounds':
    tuple(f'usr/share/backgrounds/mate/nature/{name}.jpg'
          for name in ('Aqua', 'Blinds', 'Dune', 'FreshFlower', 'Garden',
                       'GreenMeadow', 'LadyBird', 'RainDrops', 'Storm',
                       'TwoWings', 'Wood', 'YellowFlower')),
    'lomiri-wallpapers-16.04':
    tuple(f'usr/share/backgrounds/{name}.jpg'
          for name in ('Bridge_by_Sander_Klootwijk', 'Dragonfly_by_Bolly',
                       'Picture_0B_by_freespace', 'Picture_1A_by_freespace',
                       'Wine_by_Jakkub_Mede', 'aitzgorri_by_Aitzol_Berasategi',
                       'analogpattern_by_Peter_Nerlich',
                       'free_by_Peter_Nerlich', 'friends_by_Aitzol_Berasategi',
                       'life_by_Aitzol_Berasategi',
                       'picosdeeuropa_by_Aitzol_Berasategi',
                       'seeding_by_Clements_Engelhardt',
                       'sunset_by_Aitzol_Berasategi')),
    'lomiri-wallpapers-20.04':
    ('usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg', ),
    'plasma-workspace-wallpapers':
    tuple(f'usr/share/wallpapers/{name}/contents/images/2560x1600.jpg'
          for name in ('BytheWater', 'ColdRipple', 'ColorfulCups',
                       'DarkestHour', 'EveningGlow', 'FallenLeaf', 'Grey',
                       'Kite', 'OneStandsOut', 'Path', 'summer_1am')),
}

#: Whole photos held out for validation, by pool name (never used for
#: training).
HELD_OUT = ('chelsea', 'coffee', 'rocket', 'mate-backgrounds_LadyBird',
            'mate-backgrounds_Storm',
            'lomiri-wallpapers-16.04_life_by_Aitzol_Berasategi',
            'lomiri-wallpapers-16.04_Picture_0B_by_freespace',
            'lomiri-wallpapers-20.04_Kleiber_by_Lukas_Baubkus',
            'plasma-workspace-wallpapers_EveningGlow',
            'plasma-workspace-wallpapers_Grey')

#: Photos are downsampled so their short side is at most this many pixels.
SHORT_SIDE = 512


def _load_skimage(name):
    from skimage import data
    if name.startswith('motorcycle_'):
        left, right, _ = data.stereo_motorcycle()
        return left if name.endswith('left') else right
    return getattr(data, name)()


def skimage_photos():
    """``(name, (H, W, 3) uint8 RGB)`` of each of :data:`SKIMAGE_PHOTOS` (grey
    ones repeated to three channels)."""
    for name in SKIMAGE_PHOTOS:
        image = np.asarray(_load_skimage(name))
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=2)
        yield name, image[..., :3].astype(np.uint8)


def _folder_photos(folder):
    if not osp.isdir(folder):
        raise FileNotFoundError(f'no such photo folder: {folder}')
    for dirpath, _, files in sorted(os.walk(folder, followlinks=True)):
        for name in sorted(files):
            if name.lower().endswith(IMAGE_SUFFIXES):
                path = osp.join(dirpath, name)
                key = osp.splitext(osp.relpath(path, folder))[0]
                yield key.replace(os.sep, '_'), path


def fetch_debian_packages(packages, cache_dir):
    """Download Debian packages without installing them and unpack each one.

    ``apt-get download`` into ``cache_dir`` (skipped for a package already
    there), then ``dpkg -x`` into ``cache_dir/<package>``.

    Args:
        packages (Iterable[str]): Package names.
        cache_dir (str): Where the ``.deb`` files and the unpacked trees go.

    Returns:
        tuple[dict[str, str], dict[str, str]]: Unpacked root per package that
        worked, and the reason per package that did not (no apt-get / dpkg, no
        network, unknown).
    """
    os.makedirs(cache_dir, exist_ok=True)
    roots, failures = {}, {}
    for tool in ('apt-get', 'dpkg'):
        if shutil.which(tool) is None:
            return roots, {
                p: f'{tool} not found (not a Debian system)'
                for p in packages
            }
    for package in packages:
        root = osp.join(cache_dir, package)
        if osp.isfile(osp.join(root, '.unpacked')):
            roots[package] = root
            continue
        debs = [
            f for f in os.listdir(cache_dir)
            if f.startswith(f'{package}_') and f.endswith('.deb')
        ]
        if not debs:
            proc = subprocess.run(['apt-get', 'download', package],
                                  cwd=cache_dir,
                                  capture_output=True,
                                  text=True)
            debs = [
                f for f in os.listdir(cache_dir)
                if f.startswith(f'{package}_') and f.endswith('.deb')
            ]
            if proc.returncode != 0 or not debs:
                error = [
                    ln for ln in proc.stderr.splitlines()
                    if not ln.startswith('W:')
                ]
                failures[package] = (error or ['apt-get download failed'])[-1]
                continue
        tmp = tempfile.mkdtemp(dir=cache_dir, prefix=f'.{package}-')
        proc = subprocess.run(
            ['dpkg', '-x',
             osp.join(cache_dir,
                      sorted(debs)[-1]), tmp],
            capture_output=True,
            text=True)
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            failures[package] = f'dpkg -x failed: {proc.stderr.strip()}'
            continue
        open(osp.join(tmp, '.unpacked'), 'w').close()
        shutil.rmtree(root, ignore_errors=True)
        os.rename(tmp, root)
        roots[package] = root
    return roots, failures


def _copyright_stanzas(text):
    """``(patterns, licence)`` per ``Files:`` stanza of a DEP-5 copyright
    file."""
    stanzas = []
    for block in text.split('\n\n'):
        fields, key = {}, None
        for line in block.splitlines():
            if line[:1] in (' ', '\t') and key:
                fields[key] += ' ' + line.strip()
            elif ':' in line:
                key, value = line.split(':', 1)
                key = key.strip().lower()
                fields[key] = value.strip()
        if 'files' in fields and 'license' in fields:
            stanzas.append(
                (fields['files'].split(), fields['license'].split('\n')[0]))
    return stanzas


def debian_licence(package_root, package, path):
    """The licence of ``path`` (inside the package) from the package's DEP-5
    ``copyright`` file: the last ``Files:`` stanza whose pattern matches the
    path, its tail, or its file name (packages often list source paths, not
    installed ones)."""
    copyright_file = osp.join(package_root, 'usr/share/doc', package,
                              'copyright')
    if not osp.isfile(copyright_file):
        return 'unknown (no copyright file)'
    with open(copyright_file, encoding='utf-8', errors='replace') as f:
        stanzas = _copyright_stanzas(f.read())
    found = 'unknown (not in the copyright file)'
    for patterns, licence in stanzas:
        for pattern in patterns:
            name = osp.basename(pattern)
            in_folder = fnmatch.fnmatch(path, f'*/{pattern}')
            by_name = name != '*' and fnmatch.fnmatch(osp.basename(path), name)
            if fnmatch.fnmatch(path, pattern) or in_folder or by_name:
                found = licence.split()[0] if licence else found
    return found


def _downsample(image, short_side):
    """Antialiased (Lanczos) downsampling so the short side is at most
    ``short_side``."""
    image = image.convert('RGB')
    image.info.pop('icc_profile',
                   None)  # some sources carry broken sRGB profiles
    scale = short_side / min(image.size)
    if scale < 1:
        size = tuple(max(1, round(d * scale)) for d in image.size)
        image = image.resize(size, Image.LANCZOS, reducing_gap=3.0)
    return image


def write_photo_pool(out,
                     extra_dirs=(),
                     debian_roots=None,
                     held_out_every=5,
                     short_side=SHORT_SIDE,
                     min_side=160):
    """Write ``out/train/*.png``, ``out/val/*.png`` and ``out/manifest.json``.

    Args:
        out (str): Output root.
        extra_dirs (Sequence[str]): More local photo folders; every
            ``held_out_every``-th of their photos (sorted by path) is held out.
        debian_roots (dict[str, str], optional): Unpacked root per Debian
            package (:func:`fetch_debian_packages`); the allow-listed files of
            :data:`DEBIAN_PHOTOS` are taken from them (missing files are
            reported).
        held_out_every (int): Hold-out period for photos from ``extra_dirs``.
        short_side (int): Downsample so the short side is at most this.
        min_side (int): Skip local photos whose short side is smaller.

    Returns:
        dict: ``train`` / ``val`` counts, photos per ``source``, and
        ``missing`` (allow- listed files not found in the given packages).
    """
    sources = [
        (name, image, name in HELD_OUT,
         dict(source='scikit-image', file=name, licence='public domain / CC0'))
        for name, image in skimage_photos()
    ]
    missing = []
    for package, root in sorted((debian_roots or {}).items()):
        for path in DEBIAN_PHOTOS.get(package, ()):
            full = osp.join(root, path)
            if not osp.isfile(full):
                missing.append(f'{package}:{path}')
                continue
            stem = osp.splitext(osp.basename(path))[0]
            # the folder names the photo
            if package == 'plasma-workspace-wallpapers':
                stem = path.split('/')[3]
            name = f'{package}_{stem}'
            sources.append((name, full, name in HELD_OUT,
                            dict(
                                source='debian',
                                package=package,
                                file=path,
                                licence=debian_licence(root, package, path))))
    for folder in extra_dirs:
        base = osp.basename(folder.rstrip(os.sep))
        sources += [(f'{base}_{key}', path,
                     i % held_out_every == held_out_every - 1,
                     dict(
                         source='folder',
                         file=path,
                         licence='unknown (local folder)'))
                    for i, (key, path) in enumerate(_folder_photos(folder))]

    for split in ('train', 'val'):
        os.makedirs(osp.join(out, split), exist_ok=True)
    manifest, counts = [], {'train': 0, 'val': 0}
    per_source = {}
    for name, image, held_out, record in sources:
        if isinstance(image, str):
            with Image.open(image) as opened:
                if record['source'] == 'folder' and min(
                        opened.size) < min_side:
                    continue
                image = _downsample(opened, short_side)
        else:
            image = _downsample(Image.fromarray(image), short_side)
        split = 'val' if held_out else 'train'
        image.save(osp.join(out, split, f'{name}.png'))
        manifest.append(
            dict(
                name=name,
                split=split,
                width=image.size[0],
                height=image.size[1],
                **record))
        counts[split] += 1
        per_source[record.get('package', record['source'])] = per_source.get(
            record.get('package', record['source']), 0) + 1
    with open(osp.join(out, 'manifest.json'), 'w') as f:
        json.dump(dict(short_side=short_side, photos=manifest), f, indent=1)
    return dict(counts, sources=per_source, missing=missing)
