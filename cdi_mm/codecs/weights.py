"""Fetching and verifying weight files (pure torch; no OpenMMLab imports)."""
import hashlib
import os
import os.path as osp

import torch

__all__ = ['WeightsHashError', 'verify_name_hash', 'download_checked']


class WeightsHashError(ValueError):
    """A weights file's contents do not match the sha256 prefix in its name."""


def verify_name_hash(path):
    """Check a ``name-<sha256[:8]>.pth`` file against the hash in its name.

    OpenMMLab names published checkpoints ``name_YYYYMMDD-<sha8>.pth``; files without
    such a suffix are not checked.

    Raises:
        WeightsHashError: The hash in the name does not match the contents.
    """
    stem = osp.splitext(osp.basename(path))[0]
    suffix = stem.rsplit('-', 1)[-1] if '-' in stem else ''
    if len(suffix) == 8 and all(c in '0123456789abcdef' for c in suffix):
        digest = hashlib.sha256()
        with open(path, 'rb') as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b''):
                digest.update(chunk)
        if not digest.hexdigest().startswith(suffix):
            raise WeightsHashError(
                f'{path}: sha256 {digest.hexdigest()[:8]} does not match the hash {suffix} '
                'in its name; the file is corrupted or was replaced')


def download_checked(url, cache_dir=None):
    """Download ``url`` once into the torch hub cache and verify its name hash.

    Args:
        url (str): http(s) URL of a weights file.
        cache_dir (str, optional): Defaults to ``$TORCH_HOME/hub/checkpoints``.

    Returns:
        str: Local path of the verified file.
    """
    cache_dir = cache_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    os.makedirs(cache_dir, exist_ok=True)
    dst = osp.join(cache_dir, osp.basename(url.split('?')[0]))
    if not osp.exists(dst):
        torch.hub.download_url_to_file(url, dst, progress=True)
    verify_name_hash(dst)
    return dst
