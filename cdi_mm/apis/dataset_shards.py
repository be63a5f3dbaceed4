"""Splitting a data set's encoding into shards that never touch the same file
(one machine each, a Slurm array task each, or a torchrun rank each)."""
import hashlib
import os

__all__ = ['shard_from_env', 'shard_of', 'shard_suffix']


def shard_of(rel, num_shards):
    """The shard (``0 .. num_shards - 1``) of the image at relative path
    ``rel``: the sha256 of the path (``/``-separated) modulo ``num_shards``,
    so the split is balanced, deterministic and the same on every machine.
    """
    digest = hashlib.sha256(rel.replace(os.sep, '/').encode()).digest()
    return int.from_bytes(digest[8:16], 'big') % num_shards


def shard_suffix(index, num_shards):
    """The name part of a shard's own files (lock, journal, report):
    ``''`` for an unsharded run."""
    return '' if num_shards == 1 else f'.shard-{index:04d}-of-{num_shards:04d}'


def shard_from_env(environ=None):
    """``(index, count)`` of this process from a Slurm array
    (``SLURM_ARRAY_TASK_ID`` / ``SLURM_ARRAY_TASK_COUNT``, with
    ``SLURM_ARRAY_TASK_MIN`` subtracted) or torchrun (``RANK`` /
    ``WORLD_SIZE``), else ``(0, 1)``.

    Raises:
        ValueError: An index outside ``0 .. count - 1``.
    """
    env = os.environ if environ is None else environ
    if 'SLURM_ARRAY_TASK_ID' in env and 'SLURM_ARRAY_TASK_COUNT' in env:
        index = int(env['SLURM_ARRAY_TASK_ID']) - int(
            env.get('SLURM_ARRAY_TASK_MIN', 0))
        count = int(env['SLURM_ARRAY_TASK_COUNT'])
    elif 'RANK' in env and 'WORLD_SIZE' in env:
        index, count = int(env['RANK']), int(env['WORLD_SIZE'])
    else:
        return 0, 1
    if not 0 <= index < count:
        raise ValueError(f'shard {index} of {count}: the index must be in '
                         f'0..{count - 1}')
    return index, count
