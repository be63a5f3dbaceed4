"""Decode a pre-encoded ``.cdi`` data set to PNG images: the decoded-image
baselines' data.

The paper's baselines classify and segment the images a codec *decodes*.
Decoding every image once (entropy decoding and synthesis transform) and
training a stock RGB pipeline on the PNGs costs one synthesis per image instead
of one per sample drawn.

* ``SRC/<path>.cdi`` becomes ``DST/<path>.png`` (8-bit RGB, the reconstruction
  rounded as any decoder that writes a file does); every other file (masks,
  annotation lists with ``.cdi`` rewritten to ``.png``, licences) is copied,
  except ``compress_dataset``'s bookkeeping (codec manifest, sources journal,
  lock file).
* A file that does not decode with this codec stops the run with its path.
* Writes are atomic (temporary file, rename); a restarted run skips PNGs newer
  than their ``.cdi``.
"""
import os
import os.path as osp

import torch
from PIL import Image
from tqdm import tqdm

from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import (BitstreamError, codec_fingerprint, decompress_image,
                           to_uint8_hwc)
from .dataset_codec import copy_renaming_listed, is_tool_file

__all__ = ['decompress_dataset']


def _fresh(out, src):
    return osp.exists(out) and os.stat(out).st_mtime_ns >= os.stat(
        src).st_mtime_ns


def _write_png(path, image):
    tmp = f'{path}.tmp{os.getpid()}.png'
    Image.fromarray(to_uint8_hwc(image)).save(tmp)
    os.replace(tmp, path)


def decompress_dataset(checkpoint, src, dst, codec_name=None):
    """Decode every ``.cdi`` under ``src`` to a PNG under ``dst`` (same tree).

    Args:
        checkpoint (str): Checkpoint recording the codec that wrote the files.
        src (str): Root of the ``.cdi`` data set (``tools/compress_dataset.py``
            output).
        dst (str): Output root.
        codec_name (str, optional): Codec module name inside a task checkpoint.

    Returns:
        dict: ``images`` decoded, ``skipped`` (already decoded), ``copied``
            other files.

    Raises:
        BitstreamError: A ``.cdi`` that does not decode with this codec (path
            in the message).
    """
    if not osp.isdir(src):
        raise FileNotFoundError(f'no such .cdi data set folder: {src}')
    codec = load_codec(checkpoint, codec_name)
    fingerprint = codec_fingerprint(codec)
    jobs, copies, seen = [], [], set()
    for root, dirnames, files in os.walk(src, followlinks=True):
        real = osp.realpath(root)
        if real in seen:  # a symlink loop or a second link to a folder
            dirnames[:] = []
            continue
        seen.add(real)
        for name in sorted(files):
            rel = osp.relpath(osp.join(root, name), src)
            if is_tool_file(name):
                continue
            (jobs if name.endswith('.cdi') else copies).append(rel)
    report = dict(images=0, skipped=0, copied=len(copies))
    for rel in copies:
        copy_renaming_listed(src, dst, rel, ('.cdi', ), '.png')
    with torch.no_grad():
        for rel in tqdm(sorted(jobs), desc='decoding', unit='img'):
            path, out = osp.join(src,
                                 rel), osp.join(dst,
                                                rel[:-len('.cdi')] + '.png')
            if _fresh(out, path):
                report['skipped'] += 1
                continue
            with open(path, 'rb') as f:
                data = f.read()
            try:
                decoded = decompress_image(
                    codec, data, reconstruct=True, fingerprint=fingerprint)
            except BitstreamError as exc:
                raise BitstreamError(f'{path}: {exc}') from exc
            os.makedirs(osp.dirname(out), exist_ok=True)
            _write_png(out, decoded.image)
            report['images'] += 1
    return report
