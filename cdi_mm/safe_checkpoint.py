"""Weights-only checkpoint loading for mmengine under torch >= 2.6.

mmengine 0.10.7 calls ``torch.load`` without ``weights_only``; under torch's
new default (``weights_only=True``) a Runner checkpoint does not load, because
its message hub pickles numpy scalars/arrays and
:class:`~mmengine.logging.HistoryBuffer`, whose statistics table holds methods
that pickle (protocol 2) as ``getattr(HistoryBuffer, 'min')``.

Instead of turning weights-only loading off, :func:`safe_load` keeps torch's
restricted unpickler and allowlists exactly what mmengine checkpoints need.
``builtins.getattr`` is *not* allowlisted: the name is bound to
:func:`_history_buffer_getattr`, which resolves only the statistics methods of
``HistoryBuffer`` and refuses everything else. A checkpoint that pickles any
other object is refused with :class:`UnsafeCheckpointError`.
"""
import os.path as osp
import pickle
import zipfile

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from cdi_mm.codecs.weights import (WeightsHashError, download_checked,
                                   verify_name_hash)

__all__ = [
    'CheckpointReadError', 'UnsafeCheckpointError', 'WeightsHashError',
    'install_safe_checkpoint_loader', 'load_checkpoint_file', 'safe_load'
]

_URL_PREFIXES = ('http://', 'https://')


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects outside the weights-only allowlist."""


class CheckpointReadError(OSError):
    """A file is not a readable torch checkpoint (truncated, or another kind of
    file)."""


_ZIP_MAGIC = b'PK\x03\x04'
_PICKLE_PROTO = b'\x80'


def _history_buffer_getattr(obj, name):
    """Stand-in for ``builtins.getattr`` that admits only HistoryBuffer
    statistics."""
    if obj is HistoryBuffer and name in ('min', 'max', 'current', 'mean'):
        return getattr(HistoryBuffer, name)
    raise UnsafeCheckpointError(
        f'checkpoint asks for getattr({obj!r}, {name!r}); only HistoryBuffer '
        'statistics methods are allowed')


def _numpy_globals():
    """numpy reconstruction helpers and dtypes that mmengine checkpoints
    pickle."""
    from numpy.core.multiarray import _reconstruct, scalar
    dtype_classes = [
        type(np.dtype(t))
        for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                  np.uint16, np.uint32, np.uint64, np.float16, np.float32,
                  np.float64)
    ]
    return [_reconstruct, scalar, np.ndarray, np.dtype, *dtype_classes]


def _allowed_globals():
    return [
        *_numpy_globals(), HistoryBuffer,
        (_history_buffer_getattr, 'builtins.getattr')
    ]


#: Largest checkpoint (bytes, unpacked) :func:`safe_load` reads.
MAX_CHECKPOINT_BYTES = 4 << 30


def _check_zip_sizes(path):
    """Refuse a zip checkpoint whose entries unpack to more than
    :data:`MAX_CHECKPOINT_BYTES` or that compresses an entry (``torch.save``
    stores them; deflated entries are how a zip bomb grows), before
    ``torch.load`` unpacks anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CheckpointReadError(
            f'{path}: not a readable torch checkpoint, truncated or corrupt '
            f'({exc})') from exc
    packed = [
        e.filename for e in entries
        if e.compress_type != zipfile.ZIP_STORED and e.file_size
    ]
    total = sum(e.file_size for e in entries)
    if packed or total > MAX_CHECKPOINT_BYTES:
        raise CheckpointReadError(
            f'{path}: its zip entries unpack to {total} bytes' +
            (f' and {len(packed)} are compressed ({packed[0]}, ...), which '
             'torch.save never does' if packed else '') +
            f'; refused before unpacking (limit MAX_CHECKPOINT_BYTES='
            f'{MAX_CHECKPOINT_BYTES}, cdi_mm.safe_checkpoint)')


def safe_load(f, map_location='cpu'):
    """``torch.load(f, weights_only=True)`` with mmengine's checkpoint types
    allowed.

    Args:
        f (str | file-like): Checkpoint path or open binary file.
        map_location: Same as :func:`torch.load`.

    Returns:
        The loaded checkpoint (usually a dict).

    Raises:
        UnsafeCheckpointError: The checkpoint pickles an object that is not
            plain weights/metadata (e.g. arbitrary classes or callables).
        CheckpointReadError: The file is truncated or not a torch checkpoint.
    """
    name = f if isinstance(f, str) else getattr(f, 'name', '<stream>')
    if isinstance(f, str):
        with open(f, 'rb') as fh:
            magic = fh.read(4)
        if magic != _ZIP_MAGIC and magic[:1] != _PICKLE_PROTO:
            raise CheckpointReadError(
                f'{name}: not a torch checkpoint (neither the zip '
                'format of torch.save nor a legacy pickle)')
        if magic == _ZIP_MAGIC:
            _check_zip_sizes(f)
    try:
        with torch.serialization.safe_globals(_allowed_globals()):
            return torch.load(f, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        if 'Weights only load failed' not in str(exc):
            raise CheckpointReadError(
                f'{name}: not a torch checkpoint ({exc})') from exc
        raise UnsafeCheckpointError(
            f'refusing to load checkpoint {name}: it contains objects outside '
            'the weights-only allowlist (tensors, numpy arrays, mmengine '
            f'HistoryBuffer). Only load checkpoints you trust. Details: {exc}'
        ) from exc
    except (RuntimeError, EOFError,
            OSError) as exc:  # torch's zip reader on truncated files
        raise CheckpointReadError(
            f'{name}: not a readable torch checkpoint, truncated or '
            f'corrupt ({str(exc).splitlines()[0]})') from exc


def load_checkpoint_file(filename, map_location='cpu', cache_dir=None):
    """Load a checkpoint from a local path or an http(s) URL, weights-only.

    A file name carrying a hash (``name-0123abcd.pth``) must match its
    contents; a URL is downloaded with its sha256 checked.

    Args:
        filename (str): Local path or ``http://`` / ``https://`` URL.
        map_location: Same as :func:`torch.load`.
        cache_dir (str, optional): Where a URL's download goes (default:
            the torch hub cache).

    Returns:
        The loaded checkpoint (usually a dict).

    Raises:
        FileNotFoundError: No such local file.
        UnsafeCheckpointError, CheckpointReadError: See :func:`safe_load`.
        WeightsHashError: The contents do not match the name's hash.
    """
    if filename.startswith(_URL_PREFIXES):
        return safe_load(
            download_checked(filename, cache_dir), map_location=map_location)
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename}: no such checkpoint file')
    verify_name_hash(filename)
    return safe_load(filename, map_location=map_location)


def install_safe_checkpoint_loader():
    """Make mmengine load local and http(s) checkpoints with
    :func:`load_checkpoint_file` (Runner ``load_from`` / ``resume``,
    ``init_cfg=dict(type='Pretrained')``, ``mmengine.runner.load_checkpoint``).

    ``cdi_mm.openmmlab`` calls it, so every config importing cdi_mm loads
    checkpoints weights-only. Idempotent.
    """
    CheckpointLoader.register_scheme(
        prefixes='', loader=_mmengine_local, force=True)
    CheckpointLoader.register_scheme(
        prefixes=_URL_PREFIXES, loader=_mmengine_url, force=True)


def _mmengine_local(filename, map_location):
    return load_checkpoint_file(filename, map_location)


def _mmengine_url(filename, map_location=None, model_dir=None, progress=None):
    return load_checkpoint_file(filename, map_location, model_dir)
