"""Re-code a pre-encoded data set's version-1 ``.cdi`` files as version 2
(tiled), in place, from their symbols alone.

No image is read and no analysis transform runs: each file's symbols are
entropy-decoded with the codec that wrote it and entropy-coded again in tiles
(:func:`~cdi_mm.codecs.transcode_to_v2`, which checks that the latent comes out
identical). Each file is replaced atomically, so an interrupted run leaves
every file readable and a rerun finishes the rest (version-2 files are
skipped). The codec is the one the data set's manifest (``cdi_codec.json``)
names, or a checkpoint given explicitly.
"""
import os
import os.path as osp

from tqdm import tqdm

from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import (BitstreamError, codec_fingerprint, transcode_to_v2,
                           unpack)
from cdi_mm.datasets.codec_manifest import codec_from_manifest, find_manifest
from .dataset_codec import atomic_write

__all__ = ['transcode_dataset']


def _cdi_files(root):
    if not osp.isdir(root):
        raise FileNotFoundError(f'{root}: no such folder')
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for name in sorted(files):
            if name.endswith('.cdi'):
                yield osp.join(dirpath, name)


def transcode_dataset(root, checkpoint=None, tile_side='auto'):
    """Re-code every version-1 ``.cdi`` under ``root`` as version 2.

    Args:
        root (str): Root of a pre-encoded data set.
        checkpoint (str, optional): Codec checkpoint; default: the manifest
            found above each file.
        tile_side (str | int): ``'auto'`` or a tile side (latent positions).

    Returns:
        dict: ``files``, ``transcoded``, ``already_v2``, ``refused`` (list of
        messages), ``v1_bytes`` and ``v2_bytes`` of the transcoded files.
    """
    files = list(_cdi_files(root))
    if not files:
        raise FileNotFoundError(f'no .cdi files under {root}')
    codecs, manifests = {}, {}
    report = dict(
        files=len(files),
        transcoded=0,
        already_v2=0,
        refused=[],
        v1_bytes=0,
        v2_bytes=0)
    for path in tqdm(files, desc='transcoding', unit='file'):
        key = checkpoint or find_manifest(path, manifests)
        if key not in codecs:
            codec = load_codec(checkpoint) if checkpoint else \
                codec_from_manifest(key)[0]
            codecs[key] = (codec, codec_fingerprint(codec))
        codec, fingerprint = codecs[key]
        with open(path, 'rb') as f:
            data = f.read()
        try:
            if unpack(data, fingerprint).tile_side:
                report['already_v2'] += 1
                continue
            out = transcode_to_v2(codec, data, tile_side, fingerprint)
        except BitstreamError as exc:
            report['refused'].append(f'{path}: {exc}')
            continue
        atomic_write(path, out)
        report['transcoded'] += 1
        report['v1_bytes'] += len(data)
        report['v2_bytes'] += len(out)
    return report
