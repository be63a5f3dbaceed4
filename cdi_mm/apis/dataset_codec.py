"""Encode an image data set into ``.cdi`` files that mirror the source tree.

* Images (``.jpg .jpeg .png .bmp .webp .tif``) become ``DST/<same path>.cdi``.
* Segmentation masks (files under ``ann_dir``, ``SegmentationClass*`` or
  ``SegmentationObject`` folders) and other files (annotation lists, licences) are
  copied untouched; ``*.txt`` annotation lists get image suffixes rewritten to ``.cdi``.
* ``size=(W, H)`` resizes every image before encoding (mmcv bilinear, as the RGB
  pipeline's ``Resize``), e.g. the 64x64 the Fashion-MNIST configs use.
* Every ``.cdi`` is written atomically (temporary file + rename). A restarted run (after
  a crash or a kill) removes the temporary files the dead run left, skips files that
  already exist and decode with this codec, and redoes broken ones; one run per ``dst``
  at a time.
* At the end: images, bytes of the ``.cdi`` set vs. the source images, mean bpp (from
  the real byte counts), throughput.
"""
import os
import os.path as osp
import re
import shutil
import time
from multiprocessing import get_context

import torch
from tqdm import tqdm

from cdi_mm.codecs import BitstreamError, codec_fingerprint, decompress_image, unpack

from cdi_mm.models.codec_loader import compress_file, load_codec

__all__ = ['compress_dataset', 'format_report']

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff')
MASK_DIRS = ('ann_dir', 'SegmentationClass', 'SegmentationClassAug', 'SegmentationObject')

# per-worker state, set by _init_worker
_codec = None
_fingerprint = None
_size = None


def _is_mask(rel):
    return any(part in MASK_DIRS for part in rel.split(os.sep)[:-1])


def plan(src):
    """Split the files under ``src`` into images to encode and files to copy."""
    encode, copy = [], []
    for dirpath, _, files in sorted(os.walk(src)):
        for name in sorted(files):
            rel = osp.relpath(osp.join(dirpath, name), src)
            if name.lower().endswith(IMAGE_SUFFIXES) and not _is_mask(rel):
                encode.append((rel, osp.splitext(rel)[0] + '.cdi'))
            else:
                copy.append(rel)
    return encode, copy


_TMP_SUFFIX = re.compile(r'\.tmp\d+$')


def _atomic_write(path, data):
    os.makedirs(osp.dirname(path), exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


def _init_worker(checkpoint, name, size):
    global _codec, _fingerprint, _size
    torch.set_num_threads(1)
    _codec, _size = load_codec(checkpoint, name=name), size
    _fingerprint = codec_fingerprint(_codec)


def _existing(path):
    """The bytes of ``path`` if it holds a ``.cdi`` of this codec (and of the requested
    size) that decodes, else None."""
    try:
        with open(path, 'rb') as f:
            data = f.read()
        decoded = decompress_image(_codec, data, fingerprint=_fingerprint)
    except (BitstreamError, OSError):
        return None
    if _size is not None and decoded.image_size != (_size[1], _size[0]):
        return None
    return data


def _encode_one(job):
    """Encode one image unless a valid ``.cdi`` is already there. Returns
    ``(src bytes, cdi bytes, pixels, skipped)``."""
    src, out = job
    data = _existing(out)
    skipped = data is not None
    if not skipped:
        data = compress_file(_codec, src, _size)
        _atomic_write(out, data)
    height, width = unpack(data).image_size
    return osp.getsize(src), len(data), height * width, skipped


def _remove_stale_temporaries(dst):
    """Delete the half-written temporary files of a run that was killed."""
    for dirpath, _, files in os.walk(dst):
        for name in files:
            if _TMP_SUFFIX.search(name):
                os.remove(osp.join(dirpath, name))


def _copy(src_root, dst_root, rel):
    src, dst = osp.join(src_root, rel), osp.join(dst_root, rel)
    if rel.endswith('.txt'):
        with open(src) as f:
            text = re.sub(r'\.(jpe?g|png|bmp|webp|tiff?)(?=\s|$)', '.cdi', f.read(),
                          flags=re.IGNORECASE | re.MULTILINE)
        _atomic_write(dst, text.encode())
    else:
        os.makedirs(osp.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)


def compress_dataset(checkpoint, src, dst, workers=1, codec_name=None, size=None):
    """Encode ``src`` into ``dst``; returns the storage report as a dict.

    Args:
        checkpoint (str): Codec checkpoint (path or URL) recording ``meta['codecs']``.
        src (str): Source data set root.
        dst (str): Output root.
        workers (int): Encoding processes.
        codec_name (str, optional): Codec module name inside a task checkpoint.
        size (tuple[int, int], optional): ``(W, H)`` to resize images to first.
    """
    encode, copy = plan(src)
    if not encode:
        raise FileNotFoundError(f'no images ({", ".join(IMAGE_SUFFIXES)}) under {src}')
    _remove_stale_temporaries(dst)
    for rel in copy:
        _copy(src, dst, rel)
    jobs = [(osp.join(src, rel), osp.join(dst, out)) for rel, out in encode]
    start = time.perf_counter()
    totals = [0, 0, 0, 0]
    ctx = get_context('spawn')
    with ctx.Pool(workers, initializer=_init_worker,
                  initargs=(checkpoint, codec_name, size)) as pool:
        for result in tqdm(pool.imap(_encode_one, jobs, chunksize=16), total=len(jobs),
                           desc='encoding', unit='img'):
            totals = [t + r for t, r in zip(totals, result)]
    seconds = time.perf_counter() - start
    src_bytes, cdi_bytes, pixels, skipped = totals
    return dict(images=len(jobs), skipped=skipped, copied=len(copy), source_bytes=src_bytes,
                cdi_bytes=cdi_bytes, ratio=src_bytes / max(cdi_bytes, 1),
                bpp=8 * cdi_bytes / pixels, seconds=seconds,
                images_per_s=(len(jobs) - skipped) / seconds if seconds else 0.0)


def format_report(report):
    return (f"encoded {report['images']} images ({report['skipped']} already valid, "
            f"{report['copied']} other files copied)\n"
            f"source images: {report['source_bytes'] / 1e6:.3f} MB   .cdi: "
            f"{report['cdi_bytes'] / 1e6:.3f} MB   ({report['ratio']:.2f}x smaller)\n"
            f"mean bpp (real bytes, headers included): {report['bpp']:.4f}   "
            f"throughput: {report['images_per_s']:.1f} images/s")
