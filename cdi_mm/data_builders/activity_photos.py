"""Unlabelled photos of ImageNet-like things for distillation (issue #36).

The photo pool has 48 photographs; a student distilled on crops of 38 of them
never sees an animal, a tool or a building. Debian's ``gcompris-qt-data``
(the GCompris educational suite, fetched with ``apt-get download`` and
unpacked with ``dpkg -x``; nothing is installed) carries some 400 photographs
of animals, fish, tools, monuments, instruments and everyday objects inside
its Qt resource files (``usr/share/gcompris-qt/rcc/*.rcc``). This module reads
those files (:func:`read_qt_resources`, Qt's documented ``rcc`` binary
format), keeps the images under the folders of :data:`PHOTO_FOLDERS`
(paintings, drawings and puzzle pieces are left out), drops exact duplicates
(some photos appear in two activities), downsamples them and holds every
fifth one out for evaluation. ``manifest.json`` records split, resource path,
size and licence (read from the package's DEP-5 ``copyright`` file) of each.
"""
import hashlib
import io
import json
import os
import os.path as osp
import struct
import zlib

from PIL import Image

from .photos import _downsample, debian_licence

__all__ = [
    'ACTIVITY_PACKAGE', 'PHOTO_FOLDERS', 'read_qt_resources',
    'write_activity_photos'
]

#: The Debian package whose resource files hold the photographs.
ACTIVITY_PACKAGE = 'gcompris-qt-data'

#: Resource folders (below ``src/activities/``) holding photographs, looked at
#: one by one; paintings, babyshapes, details (painting details), chronos and
#: louis-braille (drawings) are not listed.
PHOTO_FOLDERS = ('lang/resource/words_sample', 'erase/resource',
                 'categorization/resource/images/tools',
                 'categorization/resource/images/renewable',
                 'categorization/resource/images/monuments',
                 'categorization/resource/images/fishes',
                 'categorization/resource/images/others',
                 'explore_world_animals/resource/animals',
                 'explore_farm_animals/resource/animals',
                 'explore_monuments/resource', 'explore_world_music/resource',
                 'solar_system/resource', 'clickgame/resource',
                 'leftright/resource')

_IMAGE_SUFFIXES = ('.webp', '.jpg', '.jpeg', '.png')

#: The largest entry a resource file may inflate to (the biggest photo in
#: gcompris-qt-data is under 1 MB).
MAX_ENTRY_BYTES = 64 << 20


def read_qt_resources(path):
    """Yield ``(resource path, bytes)`` for every file in a Qt ``.rcc`` file.

    The format (Qt's ``rcc`` tool, versions 1-3): a ``qres`` header with the
    offsets of the tree, data and name tables; tree nodes of 14 bytes (22 from
    version 2 on, which add a modification time) that are either directories
    (child count, first child) or files (locale, data offset); data entries
    are a big-endian size and the bytes, zlib-compressed (after a 4-byte size)
    when the node's flag 1 is set.

    Args:
        path (str): The ``.rcc`` file.

    Raises:
        ValueError: Not a Qt resource file, an unknown version, zstd-compressed
            entries (flag 4), offsets outside the file, a tree that visits a
            node twice (a cycle), or a compressed entry that inflates past
            its declared size or :data:`MAX_ENTRY_BYTES`.
    """
    with open(path, 'rb') as f:
        blob = f.read()
    if len(blob) < 20 or blob[:4] != b'qres':
        raise ValueError(f'{path} is not a Qt resource file (no qres header)')
    version, tree, data, names = struct.unpack('>4I', blob[4:20])
    if version not in (1, 2, 3):
        raise ValueError(f'{path}: unknown Qt resource version {version}')
    node_size = 14 if version == 1 else 22

    def unpack(fmt, offset):
        end = offset + struct.calcsize(fmt)
        if end > len(blob):
            raise ValueError(f'{path}: truncated Qt resource file '
                             f'(offset {offset} beyond {len(blob)} bytes)')
        return struct.unpack(fmt, blob[offset:end])

    def name(offset):
        length, = unpack('>H', names + offset)
        start = names + offset + 6
        return blob[start:start + 2 * length].decode('utf-16-be')

    stack, seen = [(0, '')], set()
    while stack:
        index, prefix = stack.pop()
        if index in seen:
            raise ValueError(f'{path}: the resource tree visits node {index} '
                             'twice (a cycle)')
        seen.add(index)
        node = tree + index * node_size
        name_offset, flags = unpack('>IH', node)
        full = f'{prefix}/{name(name_offset)}' if index else ''
        if flags & 2:  # directory
            count, first = unpack('>II', node + 6)
            if first + count > (len(blob) - tree) // node_size:
                raise ValueError(f'{path}: {full or "/"} lists {count} '
                                 'children past the end of the tree')
            stack += [(child, full)
                      for child in reversed(range(first, first + count))]
            continue
        if flags & 4:
            raise ValueError(f'{path}: {full} is zstd-compressed, which this '
                             'reader does not handle')
        data_offset, = unpack('>I', node + 10)
        size, = unpack('>I', data + data_offset)
        payload = blob[data + data_offset + 4:data + data_offset + 4 + size]
        if len(payload) != size:
            raise ValueError(f'{path}: {full} runs past the end of the file')
        if flags & 1:
            payload = _inflate(payload, f'{path}: {full}')
        yield full, payload


def _inflate(payload, where):
    """A zlib entry (4-byte big-endian size, then the stream), bounded by its
    declared size and :data:`MAX_ENTRY_BYTES`."""
    if len(payload) < 4:
        raise ValueError(f'{where}: compressed entry shorter than its header')
    size, = struct.unpack('>I', payload[:4])
    if size > MAX_ENTRY_BYTES:
        raise ValueError(f'{where}: declares {size} bytes uncompressed, more '
                         f'than the {MAX_ENTRY_BYTES} allowed')
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(payload[4:], size + 1)
    except zlib.error as err:
        raise ValueError(f'{where}: broken zlib stream ({err})') from err
    if len(data) != size:
        raise ValueError(f'{where}: inflates to {len(data)}+ bytes, not the '
                         f'{size} it declares')
    return data


def _activity_images(package_root):
    """``(path below src/activities/, bytes)`` of every image in the photo
    folders, sorted by path."""
    rcc_dir = osp.join(package_root, 'usr/share/gcompris-qt/rcc')
    if not osp.isdir(rcc_dir):
        raise FileNotFoundError(
            f'{rcc_dir} not found: is {package_root} an unpacked '
            f'{ACTIVITY_PACKAGE}?')
    images = []
    for rcc in sorted(os.listdir(rcc_dir)):
        if not rcc.endswith('.rcc'):
            continue
        for path, payload in read_qt_resources(osp.join(rcc_dir, rcc)):
            rel = path.split('/src/activities/', 1)[-1]
            if (rel.lower().endswith(_IMAGE_SUFFIXES)
                    and rel.startswith(PHOTO_FOLDERS)):
                images.append((rel, payload))
    return sorted(images)


def write_activity_photos(out,
                          package_root,
                          held_out_every=5,
                          short_side=320,
                          min_side=160):
    """Write ``out/train/*.png``, ``out/val/*.png`` and ``out/manifest.json``.

    Args:
        out (str): Output root.
        package_root (str): An unpacked ``gcompris-qt-data`` (``dpkg -x``).
        held_out_every (int): Every this-many-th photo (sorted by resource
            path, duplicates dropped) goes to ``val``.
        short_side (int): Downsample so the short side is at most this.
        min_side (int): Skip images whose short side is smaller.

    Returns:
        dict: ``train`` / ``val`` counts and ``duplicates`` / ``small`` (images
        left out).
    """
    for split in ('train', 'val'):
        os.makedirs(osp.join(out, split), exist_ok=True)
    seen, manifest = set(), []
    counts = dict(train=0, val=0, duplicates=0, small=0)
    for rel, payload in _activity_images(package_root):
        digest = hashlib.sha256(payload).hexdigest()
        if digest in seen:
            counts['duplicates'] += 1
            continue
        seen.add(digest)
        with Image.open(io.BytesIO(payload)) as opened:
            if min(opened.size) < min_side:
                counts['small'] += 1
                continue
            image = _downsample(opened, short_side)
        kept = len(manifest)
        split = 'val' if kept % held_out_every == held_out_every - 1 else (
            'train')
        name = osp.splitext(rel)[0].replace('/resource', '').replace('/', '_')
        image.save(osp.join(out, split, f'{name}.png'))
        source = f'src/activities/{rel}'
        manifest.append(
            dict(
                name=name,
                split=split,
                width=image.size[0],
                height=image.size[1],
                source='debian',
                package=ACTIVITY_PACKAGE,
                file=source,
                licence=debian_licence(package_root, ACTIVITY_PACKAGE,
                                       source)))
        counts[split] += 1
    with open(osp.join(out, 'manifest.json'), 'w') as f:
        json.dump(
            dict(
                kind='activity-photos',
                short_side=short_side,
                held_out_every=held_out_every,
                photos=manifest),
            f,
            indent=1)
    return counts
