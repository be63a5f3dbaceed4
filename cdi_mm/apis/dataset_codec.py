"""Encode an image data set into ``.cdi`` files that mirror the source tree.

* Images (``.jpg .jpeg .png .bmp .webp .tif``) become ``DST/<same path>.cdi``;
  two images that would share a ``.cdi`` name (``a.png`` and ``a.jpg``) are
  refused up front.
* Segmentation masks are copied untouched: files under a mask folder of a known
  layout (mmseg ``ann_dir``, VOC ``SegmentationClass*`` /
  ``SegmentationObject``, ADE20K ``annotations``, Cityscapes ``gtFine``) or
  matching a ``masks`` glob. Other files (annotation lists, licences) are
  copied too; ``*.txt`` annotation lists get image suffixes rewritten to
  ``.cdi``.
* Symlinked folders are followed; a folder reached twice (a link cycle or a
  second link to it) is walked once and reported.
* ``size=(W, H)`` resizes every image before encoding (mmcv bilinear, as the
  RGB pipeline's ``Resize``), e.g. the 64x64 the Fashion-MNIST configs use.
* ``val_fraction=f`` splits a tree as it encodes it: each image goes to
  ``DST/val/<path>.cdi`` when a hash of its path falls in the first ``f`` of
  the range, else to ``DST/train/<path>.cdi`` (a folder-per-class tree becomes
  the train / val layout the latent-folder configs read); the split of a file
  never changes, so reruns and added files keep it. Other files are copied to
  ``DST/<path>`` as usual; a tree with ``*.txt`` lists naming its images is
  refused (the split would move the files they name: split with the lists
  instead).
* Files are ``.cdi`` version 2 (tiled, ``tile_side='auto'``) for codecs with
  per-channel tables, version 1 otherwise or with ``tile_side=None``.
* ``batch_size`` images of one size go through the analysis transform together
  in each worker (``device='cuda'`` runs it on a GPU); entropy coding and
  writing stay per image.
* The codec is loaded and checked before any worker starts. A worker that dies
  (killed, out of memory) fails the run with a message naming the images it was
  on; nothing that was written is lost.
* Every ``.cdi`` is written atomically and durably (temporary file, fsync,
  rename, fsync of the folder). ``DST/cdi_sources.jsonl`` records the source
  size and mtime of every written file; a restarted run skips files that decode
  with this codec at this size *and* whose source is unchanged, and redoes the
  rest. A lock file stops a second run on the same ``dst``; a run removes only
  the temporaries of earlier runs of this tool.
* Images the codec or the ``.cdi`` format refuse (unreadable, over the pixel
  limit, a latent over the reader's limits) are listed in the report instead of
  stopping the run.
* At the end: ``DST/cdi_codec.json``, the manifest naming the codec (config,
  fingerprint, checkpoint path and sha256), the image size and the counts, so
  that ``LoadLatentFromFile`` needs no codec argument; and the report: images,
  bytes of the ``.cdi`` set vs. the source images, mean bpp (from the real byte
  counts), throughput.
"""
import fcntl
import fnmatch
import hashlib
import json
import os
import os.path as osp
import re
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing import get_context

import torch
from tqdm import tqdm

from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import (IMAGE_SUFFIXES, BitstreamError, codec_fingerprint,
                           compress_images, decompress_image, unpack)
from cdi_mm.codecs.image_files import read_regular_file
from cdi_mm.codecs.zoo import UnsafeDecodingError
from cdi_mm.datasets.codec_manifest import MANIFEST_FILE, write_manifest
from .dataset_shards import shard_of, shard_suffix
from .image_io import read_image

__all__ = [
    'DatasetEncodingError', 'NameCollisionError', 'compress_dataset',
    'format_report', 'plan'
]

MASK_DIRS = ('ann_dir', 'annotations', 'gtFine', 'SegmentationClass',
             'SegmentationClassAug', 'SegmentationObject')
SOURCES_FILE = 'cdi_sources.jsonl'
#: A shard's report (``cdi_report.shard-I-of-N.json``).
REPORT_FILE = 'cdi_report.json'
LOCK_FILE = '.compress_dataset.lock'
_TMP_SUFFIX = re.compile(r'\.cdi-tmp\d+$')
_CHUNK = 16

# per-worker state, set by _init_worker
_codec = None
_fingerprint = None
_size = None
_sources = None
_batch_size = 1
_tile_side = 'auto'
_device = 'cpu'


class DatasetEncodingError(RuntimeError):
    """The encoding run cannot go on (a worker died, another run holds the
    lock)."""


class NameCollisionError(ValueError):
    """Two source images would be written to the same ``.cdi`` file."""


def _is_mask(rel, masks):
    return (any(part in MASK_DIRS for part in rel.split(os.sep)[:-1])
            or any(fnmatch.fnmatch(rel, pattern) for pattern in masks))


def split_of(rel, val_fraction):
    """``'train'`` or ``'val'`` for the image at relative path ``rel``: val
    when the first 8 bytes of the sha256 of the path, read as a fraction of
    2^64, are below ``val_fraction``."""
    digest = hashlib.sha256(rel.replace(os.sep, '/').encode()).digest()
    return 'val' if int.from_bytes(digest[:8],
                                   'big') < val_fraction * 2**64 else 'train'


def plan(src, masks=(), val_fraction=0.0):
    """Split the files under ``src`` into images to encode and files to copy.

    Args:
        src (str): Source data set root.
        masks (Sequence[str]): Extra glob patterns (relative to ``src``) of
            mask files.
        val_fraction (float): Put about this fraction of the images under
            ``val/`` and the rest under ``train/`` of the output (see
            :func:`split_of`); 0 keeps the tree as it is.

    Returns:
        tuple: ``(encode, copy, repeated_dirs, unreadable_dirs)``: ``(source,
        .cdi)`` relative path pairs, relative paths to copy, folders not
        walked again because a symlink led to a folder already walked, and
        folders that could not be listed (path and reason).

    Raises:
        NameCollisionError: Listing every group of images that map to one
            ``.cdi``.
        ValueError: ``val_fraction`` on a tree with ``*.txt`` lists naming its
            images.
    """
    encode, copy, repeated, seen, unreadable = [], [], [], set(), []
    for dirpath, dirnames, files in os.walk(
            src,
            followlinks=True,
            onerror=lambda exc: unreadable.append(f'{exc.filename}: {exc}')):
        real = osp.realpath(dirpath)
        if real in seen:
            repeated.append(osp.relpath(dirpath, src))
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in sorted(files):
            rel = osp.relpath(osp.join(dirpath, name), src)
            if name.lower().endswith(IMAGE_SUFFIXES) and not _is_mask(
                    rel, masks):
                out = osp.splitext(rel)[0] + '.cdi'
                if val_fraction:
                    out = osp.join(split_of(rel, val_fraction), out)
                encode.append((rel, out))
            else:
                copy.append(rel)
    targets = {}
    for rel, out in encode:
        targets.setdefault(out, []).append(rel)
    for rel in copy:  # a file copied under the name an image is encoded to
        if rel in targets:
            targets[rel].append(rel)
    clashes = [sources for sources in targets.values() if len(sources) > 1]
    if clashes:
        listed = '; '.join(' and '.join(group) for group in clashes[:10])
        raise NameCollisionError(
            f'{len(clashes)} groups of images under {src} would share a .cdi '
            f'name: {listed}{" ..." if len(clashes) > 10 else ""}; rename '
            'them first')
    lists = [
        rel for rel in copy
        if rel.endswith('.txt') and _names_images(osp.join(src, rel))
    ]
    if val_fraction and lists:
        raise ValueError(
            f'val_fraction moves images under train/ and val/, but {src} has '
            'annotation lists naming them by path '
            f'({", ".join(lists[:3])}{" ..." if len(lists) > 3 else ""}); '
            'encode without val_fraction and split with the lists, or remove '
            'them')
    return encode, copy, repeated, unreadable


def _names_images(path):
    """Whether a text file names image files (an annotation list)."""
    pattern = re.compile(
        '|'.join(re.escape(s) for s in IMAGE_SUFFIXES) + r'(\s|$)',
        re.IGNORECASE | re.MULTILINE)
    try:
        text = read_regular_file(path).decode('utf-8', errors='replace')
    except OSError:  # not a regular file: refused when it is copied
        return False
    return pattern.search(text) is not None


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path, data):
    """Write ``data`` to ``path`` via a temporary file, durably (fsync file and
    folder)."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    tmp = f'{path}.cdi-tmp{os.getpid()}'
    with open(tmp, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(osp.dirname(path))


def _source_stamp(path):
    stat = os.stat(path)
    return dict(size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def is_tool_file(name):
    """Whether a file name is one of this tool's own (lock, journals,
    reports, manifest), not part of the data set."""
    return name == MANIFEST_FILE or name.startswith(
        (LOCK_FILE, SOURCES_FILE[:-len('.jsonl')],
         REPORT_FILE[:-len('.json')]))


def sources_file(suffix=''):
    """The source journal's name (a shard's own with its suffix)."""
    return SOURCES_FILE.replace('.jsonl', f'{suffix}.jsonl')


def read_sources(dst, suffix=''):
    """Source stamps recorded by earlier runs: ``{cdi relpath: stamp}``,
    from the journal of ``suffix`` (a shard) after the merged one. A torn
    last line (a run killed while writing it) is ignored."""
    recorded = {}
    for name in dict.fromkeys((SOURCES_FILE, sources_file(suffix))):
        try:
            with open(osp.join(dst, name)) as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                        recorded[entry['cdi']] = (entry['size'],
                                                  entry['mtime_ns'])
                    except (ValueError, KeyError, TypeError):
                        continue
        except FileNotFoundError:
            pass
    return recorded


def _init_worker(checkpoint, name, size, sources, batch_size, device,
                 tile_side):
    global _codec, _fingerprint, _size, _sources, _batch_size, _device
    global _tile_side
    _tile_side = tile_side
    torch.set_num_threads(1)
    _codec = load_codec(checkpoint, name=name, device=device)
    _size, _sources, _batch_size, _device = size, sources, batch_size, device
    _fingerprint = codec_fingerprint(_codec)


def _record_source(line):
    """Append one line to the sources journal (one ``write`` on an ``O_APPEND``
    file, so lines of concurrent workers do not interleave), after the ``.cdi``
    is durable."""
    fd = os.open(_sources, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def _existing(path):
    """The bytes of ``path`` if it holds a ``.cdi`` of this codec (and of the
    requested size) that decodes, else None."""
    try:
        with open(path, 'rb') as f:
            data = f.read()
        decoded = decompress_image(_codec, data, fingerprint=_fingerprint)
    except (BitstreamError, OSError):
        return None
    if _size is not None and decoded.image_size != (_size[1], _size[0]):
        return None
    return data


def _refused(src, out, exc):
    if osp.exists(out):  # a .cdi of an earlier version of this source
        os.remove(out)
    return dict(refused=str(exc) if src in str(exc) else f'{src}: {exc}')


def _done(src, data, skipped):
    height, width = unpack(data).image_size
    return dict(
        src_bytes=osp.getsize(src),
        cdi_bytes=len(data),
        pixels=height * width,
        skipped=skipped)


def _encode_chunk(jobs):
    """Encode ``jobs`` (``(source, .cdi, source unchanged, journal line)``):
    skip valid files of unchanged sources, read the rest, run the codec on
    batches of up to ``_batch_size`` images of one size, write each file and
    its journal line."""
    results, todo = [None] * len(jobs), {}
    for i, (src, out, unchanged, _) in enumerate(jobs):
        data = _existing(out) if unchanged else None
        if data is not None:
            results[i] = _done(src, data, skipped=True)
            continue
        try:
            image = read_image(src, _size)
        except (OSError, ValueError) as exc:
            results[i] = _refused(src, out, exc)
            continue
        todo.setdefault(tuple(image.shape[-2:]), []).append((i, image))
    for same_size in todo.values():
        for start in range(0, len(same_size), _batch_size):
            batch = same_size[start:start + _batch_size]
            try:
                files = compress_images(
                    _codec,
                    torch.cat([im for _, im in batch]).to(_device),
                    tile_side=_tile_side)
            except (BitstreamError, ValueError) as exc:
                for i, _ in batch:
                    results[i] = _refused(jobs[i][0], jobs[i][1], exc)
                continue
            for (i, _), data in zip(batch, files):
                src, out, _, record = jobs[i]
                atomic_write(out, data)
                _record_source(record)
                results[i] = _done(src, data, skipped=False)
    return results


def _remove_stale_temporaries(dst, outputs):
    """Delete the half-written temporary files of earlier runs of this tool
    (only its own ``*.cdi-tmpPID`` names, of the ``outputs`` (relative paths)
    this run writes: the lock guarantees no other run writes them, while the
    other shards of a sharded run write theirs)."""
    outputs = set(outputs)
    for dirpath, _, files in os.walk(dst):
        for name in files:
            match = _TMP_SUFFIX.search(name)
            if match and osp.relpath(
                    osp.join(dirpath, name[:match.start()]), dst) in outputs:
                os.remove(osp.join(dirpath, name))


def _lock(dst, suffix=''):
    """Hold an exclusive lock on ``dst`` (a shard: on its part of ``dst``)
    for the life of the returned file object."""
    os.makedirs(dst, exist_ok=True)
    handle = open(osp.join(dst, LOCK_FILE + suffix), 'a+')
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or 'unknown'
        handle.close()
        raise DatasetEncodingError(
            f'another compress_dataset run (pid {owner}) is writing '
            f'to {dst}; wait for it or choose another destination')
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def check_destination(src, dst):
    """Refuse an output root that is the source or inside it (a rerun would
    encode its own output, a list would be rewritten in place).

    Raises:
        FileNotFoundError: ``src`` is not a folder.
        ValueError: ``dst`` is ``src`` or under it.
    """
    if not osp.isdir(src):
        raise FileNotFoundError(f'no such source folder: {src}')
    real_src, real_dst = osp.realpath(src), osp.realpath(dst)
    if real_dst == real_src or real_dst.startswith(real_src + os.sep):
        where = 'the source' if real_dst == real_src else 'inside the source'
        raise ValueError(f'the output {dst} is {where} {src}; choose an '
                         'output folder outside it')


def copy_renaming_listed(src_root, dst_root, rel, suffixes, new_suffix):
    """Copy ``rel`` from ``src_root`` to ``dst_root``; in a ``.txt`` annotation
    list, file names ending in one of ``suffixes`` are rewritten to end in
    ``new_suffix`` (written atomically), so the list names the files the new
    tree holds."""
    src, dst = osp.join(src_root, rel), osp.join(dst_root, rel)
    if rel.endswith('.txt'):
        pattern = '|'.join(re.escape(s) for s in suffixes)
        # any encoding (a Latin-1 licence): bytes that are not UTF-8 pass
        # through unchanged
        text = re.sub(
            rf'({pattern})(?=\s|$)',
            new_suffix,
            read_regular_file(src).decode('utf-8', errors='surrogateescape'),
            flags=re.IGNORECASE | re.MULTILINE)
        atomic_write(dst, text.encode('utf-8', errors='surrogateescape'))
    else:
        data = read_regular_file(src)  # no FIFO, device or link loop
        os.makedirs(osp.dirname(dst), exist_ok=True)
        with open(dst, 'wb') as f:
            f.write(data)


def _run_pool(init_args, jobs, workers, chunk, on_result):
    """Encode ``jobs`` (``(source, .cdi, source unchanged, journal line)``) in
    ``workers`` processes initialised with ``init_args``, ``chunk`` images at a
    time, at most two chunks per worker in flight; ``on_result(index, result)``
    runs in this process for every image."""
    pending = {}
    starts = iter(range(0, len(jobs), chunk))
    with ProcessPoolExecutor(
            workers,
            mp_context=get_context('spawn'),
            initializer=_init_worker,
            initargs=init_args) as pool:
        try:
            while True:
                while len(pending) < 2 * workers:
                    start = next(starts, None)
                    if start is None:
                        break
                    pending[pool.submit(_encode_chunk,
                                        jobs[start:start + chunk])] = start
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    # a dead worker raises here, its chunk still pending
                    results = future.result()
                    start = pending.pop(future)
                    for offset, result in enumerate(results):
                        on_result(start + offset, result)
        except BrokenProcessPool as exc:
            in_flight = [
                osp.relpath(job[0]) for start in pending.values()
                for job in jobs[start:start + chunk]
            ]
            raise DatasetEncodingError(
                f'an encoding worker died ({exc}) while encoding one of '
                f'{len(in_flight)} images '
                f'({", ".join(in_flight[:4])}'
                f'{" ..." if len(in_flight) > 4 else ""}); '
                'out of memory on a large image? Lower --workers or '
                'downscale with --size. Every finished .cdi is kept: rerun '
                'to resume') from exc


def _run_here(init_args, jobs, chunk, on_result):
    """:func:`_run_pool` without a pool: the jobs encoded in this process,
    whose torch thread count is restored and whose codec is let go after."""
    global _codec
    threads = torch.get_num_threads()
    try:
        _init_worker(*init_args)
        for start in range(0, len(jobs), chunk):
            results = _encode_chunk(jobs[start:start + chunk])
            for offset, result in enumerate(results):
                on_result(start + offset, result)
    finally:
        torch.set_num_threads(threads)
        _codec = None


def compress_dataset(checkpoint,
                     src,
                     dst,
                     workers=1,
                     codec_name=None,
                     size=None,
                     masks=(),
                     batch_size=1,
                     device='cpu',
                     val_fraction=0.0,
                     tile_side='auto',
                     num_shards=1,
                     shard_index=0):
    """Encode ``src`` into ``dst``; returns the storage report as a dict.

    Sharded (``num_shards`` > 1): this run encodes only the images of shard
    ``shard_index`` (:func:`~cdi_mm.apis.dataset_shards.shard_of`), with its
    own lock, source journal and report (``cdi_report.shard-I-of-N.json``), so
    shards can run at once on several machines sharing ``dst``; shard 0 also
    copies the other files. The manifest is written at the start, identical for
    every shard; a shard whose codec or settings differ from the manifest's is
    refused. :func:`~cdi_mm.apis.dataset_finalize.finalize_dataset` then
    checks the whole tree and writes the counts.

    Args:
        checkpoint (str): Codec checkpoint (path or URL) recording
            ``meta['codecs']``.
        src (str): Source data set root.
        dst (str): Output root.
        workers (int): Encoding processes; 0 encodes in this process (no
            process start, but no isolation: a crash or an out-of-memory kill
            there is the caller's).
        codec_name (str, optional): Codec module name inside a task checkpoint.
        size (tuple[int, int], optional): ``(W, H)`` to resize images to first.
        masks (Sequence[str]): Glob patterns (relative to ``src``) of mask
            files to copy as they are, for layouts this module does not know.
        batch_size (int): Images of one size run through the analysis transform
            together, per worker (the entropy coding stays per image). Float
            results of a batch can differ in the last bit from those of single
            images, so a file can differ from the batch-1 file of the same
            image; both decode exactly.
        device (str): Where the workers run the codec (``'cuda'`` with a GPU).
        val_fraction (float): In [0, 1): split the images into ``dst/train``
            and ``dst/val`` as :func:`plan` does.
        tile_side (str | int | None): ``.cdi`` version 2 with tiles chosen per
            image (``'auto'``, default) or of this side; None: version 1
            (see :func:`~cdi_mm.codecs.compress_images`).
        num_shards (int): Shards the whole encoding is split into.
        shard_index (int): The shard this run encodes.

    Raises:
        CodecCheckpointError / FileNotFoundError: The codec cannot be loaded.
        NameCollisionError: Two images (or an image and a copied file) map
            to one name.
        UnsafeDecodingError: A codec whose files cdi_mm cannot read back
            (autoregressive zoo models).
        ValueError: ``dst`` is ``src`` or inside it.
        DatasetEncodingError: A worker died, or another run holds ``dst``.
    """
    if workers < 0 or batch_size < 1:
        raise ValueError(
            f'workers must be at least 0 and batch_size at least 1, got '
            f'{workers}, {batch_size}')
    if not 0 <= val_fraction < 1:
        raise ValueError(f'val_fraction must be in [0, 1), got {val_fraction}')
    if not 0 <= shard_index < num_shards:
        raise ValueError(
            f'shard {shard_index} of {num_shards}: the index must '
            f'be in 0..{num_shards - 1}')
    suffix = shard_suffix(shard_index, num_shards)
    check_destination(src, dst)
    codec = load_codec(
        checkpoint, name=codec_name)  # fail here, before any worker starts
    if not getattr(codec, 'bounded_decoding', True):
        raise UnsafeDecodingError(
            f'{checkpoint}: {codec.arch} files decode only through '
            'CompressAI\'s unchecked rANS decoder, so cdi_mm would refuse '
            'every file it wrote; encode with a factorized or (mean-)scale '
            'hyperprior codec')
    encode, copy, repeated, unreadable = plan(src, masks, val_fraction)
    if not encode:
        raise FileNotFoundError(
            f'no images ({", ".join(IMAGE_SUFFIXES)}) under {src}')
    if num_shards > 1:
        encode = [(rel, out) for rel, out in encode
                  if shard_of(rel, num_shards) == shard_index]
        copy = copy if shard_index == 0 else []
        unreadable = unreadable if shard_index == 0 else []
    lock = _lock(dst, suffix)
    try:
        if num_shards > 1:
            check_or_write_manifest(dst, codec, checkpoint, codec_name, size)
        _remove_stale_temporaries(dst, [out for _, out in encode])
        refused = list(unreadable)
        copied = 0
        for rel in copy:
            try:
                copy_renaming_listed(src, dst, rel, IMAGE_SUFFIXES, '.cdi')
                copied += 1
            except OSError as exc:  # dangling link, FIFO, unreadable
                refused.append(f'{osp.join(src, rel)}: not copied ({exc})')
        recorded = read_sources(dst, suffix)
        jobs = []
        for rel, out in encode:
            try:
                stamp = _source_stamp(osp.join(src, rel))
            except OSError as exc:  # a dangling link
                refused.append(f'{osp.join(src, rel)}: {exc}')
                continue
            jobs.append(
                (osp.join(src, rel), osp.join(dst, out),
                 recorded.get(out) == (stamp['size'], stamp['mtime_ns']),
                 json.dumps(dict(cdi=out, **stamp)) + '\n'))
        totals = dict(src_bytes=0, cdi_bytes=0, pixels=0, skipped=0)
        listed = len(refused)
        progress = tqdm(total=len(jobs), desc='encoding', unit='img')
        start = time.perf_counter()

        def on_result(index, result):
            progress.update()
            if 'refused' in result:
                refused.append(result['refused'])
                return
            for key in totals:
                totals[key] += result[key]

        run = partial(_run_pool, workers=workers) if workers else _run_here
        run((checkpoint, codec_name, size, osp.join(
            dst, sources_file(suffix)), batch_size, device, tile_side),
            jobs,
            chunk=max(_CHUNK, batch_size),
            on_result=on_result)
        progress.close()
        seconds = time.perf_counter() - start
        encoded = len(jobs) - (len(refused) - listed)
        report = dict(
            images=encoded,
            skipped=totals['skipped'],
            copied=copied,
            refused=refused,
            repeated_dirs=repeated,
            source_bytes=totals['src_bytes'],
            cdi_bytes=totals['cdi_bytes'],
            pixels=totals['pixels'],
            ratio=totals['src_bytes'] / max(totals['cdi_bytes'], 1),
            bpp=8 * totals['cdi_bytes'] / max(totals['pixels'], 1),
            seconds=seconds,
            images_per_s=(encoded - totals['skipped']) /
            seconds if seconds else 0.0)
        if num_shards > 1:
            atomic_write(
                osp.join(dst, REPORT_FILE.replace('.json', f'{suffix}.json')),
                json.dumps(report, indent=1).encode())
        else:
            write_manifest(
                dst, codec, checkpoint, codec_name, size,
                dict(images=encoded, refused=len(refused), copied=copied))
    finally:
        lock.close()
    return report


def check_or_write_manifest(dst, codec, checkpoint, codec_name, size):
    """The manifest of a sharded run: written by the first shard, the same
    for all; a shard whose codec (fingerprint), checkpoint or size differs
    from the manifest already there is refused.

    Raises:
        DatasetEncodingError: Naming what differs.
    """
    path = osp.join(dst, MANIFEST_FILE)
    if osp.exists(path):
        with open(path) as f:
            manifest = json.load(f)
        ours = dict(
            fingerprint=codec_fingerprint(codec),
            size=list(size) if size else None,
            codec_name=codec_name)
        theirs = dict(
            fingerprint=manifest['codec']['fingerprint'],
            size=manifest.get('size'),
            codec_name=manifest['codec'].get('name'))
        differ = [k for k in ours if ours[k] != theirs[k]]
        if differ:
            listed = ', '.join(f'{k}: {theirs[k]} there, {ours[k]} here'
                               for k in differ)
            raise DatasetEncodingError(
                f'{dst} is being encoded with other settings ({listed}); '
                'every shard must use the same codec and settings')
        return
    write_manifest(dst, codec, checkpoint, codec_name, size)


def format_report(report):
    lines = [
        f"encoded {report['images']} images ({report['skipped']} already "
        f"valid, {report['copied']} other files copied)",
        f"source images: {report['source_bytes'] / 1e6:.3f} MB   .cdi: "
        f"{report['cdi_bytes'] / 1e6:.3f} MB   ({report['ratio']:.2f}x "
        "smaller)",
        f"mean bpp (real bytes, headers included): {report['bpp']:.4f}   "
        f"throughput: {report['images_per_s']:.1f} images/s"
    ]
    for rel in report['repeated_dirs']:
        lines.append(
            'not walked twice (a symlink leads to a folder already walked): '
            f'{rel}')
    if report['refused']:
        lines.append(f"refused {len(report['refused'])} images (not written):")
        lines += [f'  {message}' for message in report['refused']]
    return '\n'.join(lines)
