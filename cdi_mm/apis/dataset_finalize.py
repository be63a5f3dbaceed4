"""The last step of a sharded encoding: check the whole tree, merge the
shards' journals, and report once."""
import json
import os.path as osp

from cdi_mm.codecs import BitstreamError, decompress_image
from cdi_mm.datasets.codec_manifest import (MANIFEST_FILE, codec_from_manifest,
                                            write_manifest)
from .dataset_codec import (REPORT_FILE, SOURCES_FILE, DatasetEncodingError,
                            atomic_write, plan, read_sources)
from .dataset_shards import shard_suffix

__all__ = ['finalize_dataset']


def finalize_dataset(src, dst, num_shards, masks=(), val_fraction=0.0):
    """Check and close a tree that ``num_shards`` runs of ``compress_dataset``
    encoded.

    Every shard must have finished (its report is there); every image of
    ``src`` (as :func:`plan` lists it with the same ``masks`` and
    ``val_fraction``) must have a ``.cdi`` that the manifest's codec decodes,
    unless a shard refused it. The shard journals are merged into
    ``cdi_sources.jsonl`` (so later unsharded or sharded runs skip what is
    done), and the manifest gets the counts of the whole tree.

    Args:
        src (str): Source root the shards encoded.
        dst (str): Their common output root.
        num_shards (int): How many shards there were.
        masks (Sequence[str]): As given to the shards.
        val_fraction (float): As given to the shards.

    Returns:
        dict: The storage report of the whole tree (as ``compress_dataset``
        returns), plus ``shards``.

    Raises:
        DatasetEncodingError: Missing shards (named), or images with no valid
            ``.cdi`` (listed).
    """
    if not osp.isfile(osp.join(dst, MANIFEST_FILE)):
        raise DatasetEncodingError(
            f'{dst} has no {MANIFEST_FILE}: no shard has started there')
    reports, missing = [], []
    for index in range(num_shards):
        path = osp.join(
            dst,
            REPORT_FILE.replace('.json',
                                f'{shard_suffix(index, num_shards)}.json'))
        try:
            with open(path) as f:
                reports.append(json.load(f))
        except (OSError, ValueError):
            missing.append(index)
    if missing:
        raise DatasetEncodingError(
            f'{len(missing)} of {num_shards} shards have not finished '
            f'(shard index {", ".join(map(str, missing[:10]))}'
            f'{" ..." if len(missing) > 10 else ""}); run them (a rerun '
            'resumes), then finalize again')
    codec, manifest = codec_from_manifest(osp.join(dst, MANIFEST_FILE))
    fingerprint = manifest['codec']['fingerprint']
    refused = [line for r in reports for line in r['refused']]
    refused_text = '\n'.join(refused)
    encode, *_ = plan(src, masks, val_fraction)
    bad = []
    for rel, out in encode:
        path = osp.join(dst, out)
        try:
            with open(path, 'rb') as f:
                decompress_image(codec, f.read(), fingerprint=fingerprint)
        except FileNotFoundError:
            if osp.join(src, rel) not in refused_text:
                bad.append(f'{out}: missing')
        except BitstreamError as exc:
            bad.append(f'{out}: {exc}')
    if bad:
        raise DatasetEncodingError(
            f'{len(bad)} images of {src} have no valid .cdi in {dst} '
            f'({"; ".join(bad[:5])}{" ..." if len(bad) > 5 else ""}); rerun '
            'their shards')
    merged = read_sources(dst)
    for index in range(num_shards):
        merged.update(read_sources(dst, shard_suffix(index, num_shards)))
    atomic_write(
        osp.join(dst, SOURCES_FILE), ''.join(
            json.dumps(dict(cdi=cdi, size=size, mtime_ns=mtime)) + '\n'
            for cdi, (size, mtime) in sorted(merged.items())).encode())
    images = sum(r['images'] for r in reports)
    copied = sum(r['copied'] for r in reports)
    checkpoint = manifest['checkpoint']
    write_manifest(dst, codec,
                   checkpoint.get('abspath') or checkpoint['path'],
                   manifest['codec'].get('name'), manifest.get('size'),
                   dict(images=images, refused=len(refused), copied=copied))
    total = {
        k: sum(r[k] for r in reports)
        for k in ('skipped', 'source_bytes', 'cdi_bytes', 'pixels')
    }
    seconds = max(r['seconds'] for r in reports)
    return dict(
        images=images,
        copied=copied,
        refused=refused,
        repeated_dirs=[d for r in reports for d in r['repeated_dirs']],
        ratio=total['source_bytes'] / max(total['cdi_bytes'], 1),
        bpp=8 * total['cdi_bytes'] / max(total['pixels'], 1),
        seconds=seconds,
        images_per_s=sum(r['images_per_s'] for r in reports),
        shards=num_shards,
        **total)
