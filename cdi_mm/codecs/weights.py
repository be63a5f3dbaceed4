"""Fetching and verifying weight files (pure torch; no OpenMMLab imports)."""
import hashlib
import os
import os.path as osp
import urllib.parse

import torch

__all__ = [
    'WeightsHashError', 'check_download_url', 'download_checked',
    'file_sha256', 'verify_name_hash'
]


class WeightsHashError(ValueError):
    """A weights file's contents do not match the sha256 prefix in its name."""


def _name_hash(path):
    """The ``<sha256[:8]>`` suffix of ``name-<sha8>.pth``, or None."""
    stem = osp.splitext(osp.basename(path))[0]
    suffix = stem.rsplit('-', 1)[-1] if '-' in stem else ''
    if len(suffix) == 8 and all(c in '0123456789abcdef' for c in suffix):
        return suffix
    return None


def file_sha256(path):
    """The sha256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def verify_name_hash(path):
    """Check a ``name-<sha256[:8]>.pth`` file against the hash in its name.

    OpenMMLab names published checkpoints ``name_YYYYMMDD-<sha8>.pth``. Local
    files without such a suffix (your own training runs) are not checked;
    downloads must have one (:func:`download_checked`).

    Raises:
        WeightsHashError: The hash in the name does not match the contents.
    """
    suffix = _name_hash(path)
    if suffix is not None:
        digest = file_sha256(path)
        if not digest.startswith(suffix):
            raise WeightsHashError(
                f'{path}: sha256 {digest[:8]} does not match the hash '
                f'{suffix} in its name; the file is corrupted or was replaced')


def check_download_url(url):
    """Refuse URLs whose download could not be verified: plain ``http://`` to
    another host than this machine (a local mirror on the loopback address is
    fine), and file names without the ``-<sha256[:8]>`` suffix that
    :func:`verify_name_hash` checks.

    Raises:
        WeightsHashError: Naming the URL and what is missing.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == 'http' and parts.hostname not in ('127.0.0.1',
                                                         'localhost', '::1'):
        raise WeightsHashError(
            f'{url}: plain http can be tampered with on the way; use '
            'https (http is accepted only from this machine)')
    if parts.scheme not in ('http', 'https'):
        raise WeightsHashError(f'{url}: only https URLs are downloaded')
    if _name_hash(parts.path) is None:
        raise WeightsHashError(
            f'{url}: the file name has no -<sha256[:8]> suffix, so the '
            'download cannot be verified; publish it with '
            'tools/model_converters/publish_model.py, or download it '
            'yourself and pass the local path')


def download_checked(url, cache_dir=None):
    """Download ``url`` once into the torch hub cache and verify its name hash.

    The cache is keyed by the whole URL (a folder per URL hash), so two files
    of the same name from different places never stand in for each other.

    Args:
        url (str): https URL of a weights file named ``name-<sha256[:8]>.pth``.
        cache_dir (str, optional): Defaults to ``$TORCH_HOME/hub/checkpoints``.

    Returns:
        str: Local path of the verified file.

    Raises:
        WeightsHashError: The URL cannot be verified, or the file does not
            match its name hash (the file is deleted, so the next call
            downloads it again).
    """
    check_download_url(url)
    cache_dir = cache_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    folder = osp.join(
        cache_dir, 'cdi_mm-' + hashlib.sha256(url.encode()).hexdigest()[:16])
    os.makedirs(folder, exist_ok=True)
    dst = osp.join(folder, osp.basename(urllib.parse.urlsplit(url).path))
    if not osp.exists(dst):
        torch.hub.download_url_to_file(url, dst, progress=True)
    try:
        verify_name_hash(dst)
    except WeightsHashError:
        os.remove(dst)  # never keep a file that failed its check
        raise
    return dst
