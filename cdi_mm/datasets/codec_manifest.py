"""The manifest a pre-encoded data set carries: which codec wrote its ``.cdi``
files.

``tools/compress_dataset.py`` writes ``cdi_codec.json`` at the root of what it
encodes; ``LoadLatentFromFile`` without a codec argument finds it above each
file and loads that codec, so a pipeline names its data, not its codec, and
cannot pair a data set with the wrong codec. Contents (JSON)::

    {"format": "cdi_mm-preencoded", "version": 1,
     "codec": {"cfg": {...}, "name": null, "fingerprint": "...", "channels": 8,
               "stride": 8},
     "checkpoint": {"path": "checkpoints/....pth", "abspath": "/.../....pth",
                    "sha256": "..."},
     "size": [224, 224] | null,
     "counts": {"images": 2400, "refused": 0, "copied": 1}}
"""
import json
import os
import os.path as osp

from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import codec_fingerprint
from cdi_mm.codecs.weights import download_checked, file_sha256

__all__ = [
    'MANIFEST_FILE', 'ManifestError', 'codec_from_manifest', 'find_manifest',
    'write_manifest'
]

MANIFEST_FILE = 'cdi_codec.json'
_FORMAT = 'cdi_mm-preencoded'


class ManifestError(ValueError):
    """A pre-encoded data set's manifest is missing, unreadable, or disagrees
    with the checkpoint it names."""


def write_manifest(root,
                   codec,
                   checkpoint,
                   codec_name=None,
                   size=None,
                   counts=None):
    """Write ``root/cdi_codec.json`` (atomically) for data encoded by
    ``codec``.

    Args:
        root (str): Root of the encoded data set.
        codec (nn.Module): The codec that wrote it (with ``build_cfg``).
        checkpoint (str): The checkpoint it was loaded from (path or URL).
        codec_name (str, optional): Codec module name inside a task checkpoint.
        size (tuple[int, int], optional): ``(W, H)`` the images were resized
            to.
        counts (dict, optional): Images encoded, refused, files copied.

    Returns:
        str: The manifest's path.
    """
    if '://' in checkpoint:  # record the verified local copy, not the URL
        checkpoint = download_checked(checkpoint)
    local = osp.isfile(checkpoint)
    manifest = dict(
        format=_FORMAT,
        version=1,
        codec=dict(
            cfg=getattr(codec, 'build_cfg', None),
            name=codec_name,
            fingerprint=codec_fingerprint(codec),
            channels=codec.latent_channels,
            stride=codec.stride),
        checkpoint=dict(
            path=checkpoint,
            abspath=osp.abspath(checkpoint) if local else None,
            sha256=file_sha256(checkpoint) if local else None),
        size=list(size) if size else None,
        counts=counts or {})
    path = osp.join(root, MANIFEST_FILE)
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'w') as f:
        json.dump(manifest, f, indent=1)
    os.replace(tmp, path)
    return path


def find_manifest(path, cache=None):
    """The ``cdi_codec.json`` in the folder of ``path`` or the nearest one
    above it.

    Args:
        path (str): A ``.cdi`` file (or folder) of a pre-encoded data set.
        cache (dict, optional): Folder -> manifest path, filled as folders are
            searched.

    Raises:
        ManifestError: No manifest above ``path``.
    """
    folder = osp.dirname(
        osp.abspath(path)) if not osp.isdir(path) else osp.abspath(path)
    visited = []
    found = None
    while True:
        if cache is not None and folder in cache:
            found = cache[folder]
            break
        visited.append(folder)
        if osp.isfile(osp.join(folder, MANIFEST_FILE)):
            found = osp.join(folder, MANIFEST_FILE)
            break
        parent = osp.dirname(folder)
        if parent == folder:
            break
        folder = parent
    if cache is not None:
        cache.update(dict.fromkeys(visited, found))
    if found is None:
        raise ManifestError(
            f'{path}: no {MANIFEST_FILE} in its folder or above, so its codec '
            'is unknown; give LoadLatentFromFile a codec_checkpoint, or '
            're-encode the data set with tools/compress_dataset.py (it '
            'writes the manifest)')
    return found


def codec_from_manifest(manifest_path):
    """Load the codec a manifest names, checking the checkpoint is the one
    recorded.

    Returns:
        tuple[nn.Module, dict]: The codec (eval mode) and the manifest.

    Raises:
        ManifestError: Unreadable manifest, checkpoint missing or changed since
            the data set was encoded, or a codec whose fingerprint is not the
            recorded one.
    """
    try:
        with open(manifest_path) as f:
            manifest = json.load(f)
        record, ckpt_record = manifest['codec'], manifest['checkpoint']
        if manifest.get('format') != _FORMAT:
            raise KeyError('format')
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ManifestError(
            f'{manifest_path}: not a readable cdi_mm manifest ({exc!r}); '
            're-encode the data set with tools/compress_dataset.py') from exc
    checkpoint = ckpt_record['path']
    if '://' in checkpoint:
        raise ManifestError(
            f'{manifest_path}: names a URL ({checkpoint}); a data set\'s '
            'manifest must not make its reader download, so manifests name '
            'local files only: download and check the codec yourself and pass '
            'it as codec_checkpoint, or re-encode with a local checkpoint')
    if not osp.isfile(checkpoint):
        checkpoint = ckpt_record.get('abspath') or checkpoint
        if not osp.isfile(checkpoint):
            raise ManifestError(
                f'{manifest_path}: the codec checkpoint '
                f'{ckpt_record["path"]!r} it names is not there (run from the '
                'folder it was encoded from, or give LoadLatentFromFile a '
                'codec_checkpoint)')
    if ckpt_record.get('sha256') and osp.isfile(checkpoint) \
            and file_sha256(checkpoint) != ckpt_record['sha256']:
        raise ManifestError(
            f'{manifest_path}: {checkpoint} has changed since the data set '
            f'was encoded (sha256 {ckpt_record["sha256"][:12]}... recorded); '
            're-encode the data set or restore the checkpoint')
    codec = load_codec(checkpoint, record.get('name'))
    if codec_fingerprint(codec) != record['fingerprint']:
        raise ManifestError(
            f'{manifest_path}: {checkpoint} holds codec '
            f'{codec_fingerprint(codec)!r}, but the data set was encoded with '
            f'{record["fingerprint"]!r}')
    return codec, manifest
