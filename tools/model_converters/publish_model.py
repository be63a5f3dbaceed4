"""Turn a training checkpoint into a published model-zoo file.

    python tools/model_converters/publish_model.py IN_FILE OUT_NAME \
        [--dataset NAME] [--half]

Keeps only the weights and a plain meta (no optimizer, schedulers, message hub
or anything else a resume needs): the mmengine version, the experiment name,
the config text, ``dataset_meta``, the codec records (``codecs``: how to
rebuild each codec, its fingerprint) and ``input_codecs``, plus ``dataset``
when given. The file is named ``OUT_NAME_YYYYMMDD-<sha256[:8]>.pth`` from the
hash of its bytes, as OpenMMLab names published checkpoints; cdi_mm's loaders
verify that hash. The result loads with a plain ``torch.load(...,
weights_only=True)``. ``--half`` stores the task's floating-point weights as
float16 (half the size; loading casts them back to the model's float32); the
weights of a codec the checkpoint carries (the modules ``meta['codecs']``
names) stay float32, so its latents do not change.
"""
import argparse
import datetime
import os
import os.path as osp

import torch

from cdi_mm.apis.cli import run_tool
from cdi_mm.codecs.weights import file_sha256
from cdi_mm.safe_checkpoint import safe_load

KEPT_META = ('mmengine_version', 'experiment_name', 'cfg', 'dataset_meta',
             'codecs', 'input_codecs', 'seed', 'iter', 'epoch')


def _plain(value):
    """Plain Python / tensor version of ``value`` (tuples to lists, numpy to
    lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, 'tolist') and not isinstance(value, torch.Tensor):
        return value.tolist()
    return value


def publish(in_file, out_name, dataset=None, date=None, half=False):
    """Write the published checkpoint next to ``out_name``; returns its
    path."""
    checkpoint = safe_load(in_file)
    # the codecs' parameter prefixes ('' when the whole model is a codec)
    codecs = tuple(
        f'{name}.' if name else ''
        for name in (checkpoint.get('meta') or {}).get('codecs') or ())
    meta = {
        k: _plain(v)
        for k, v in (checkpoint.get('meta') or {}).items() if k in KEPT_META
    }
    if dataset:
        meta['dataset'] = dataset
    state_dict = {
        k: (v.half() if half and v.is_floating_point()
            and not k.startswith(codecs) else v).detach().cpu().clone()
        for k, v in checkpoint['state_dict'].items()
    }
    tmp = f'{out_name}.tmp{os.getpid()}'
    torch.save(dict(meta=meta, state_dict=state_dict), tmp)
    torch.load(
        tmp, map_location='cpu',
        weights_only=True)  # must load without allowlists
    sha8 = file_sha256(tmp)[:8]
    date = date or datetime.date.today().strftime('%Y%m%d')
    final = f'{out_name}_{date}-{sha8}.pth'
    os.replace(tmp, final)
    return final


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('in_file', help='training checkpoint')
    parser.add_argument(
        'out_name',
        help='output path without suffix, e.g. '
        'checkpoints/cresnet39-w32_c8_fashion-mnist')
    parser.add_argument('--dataset', help='data set name recorded in the meta')
    parser.add_argument(
        '--half',
        action='store_true',
        help='float16 weights (a codec inside stays float32)')
    args = parser.parse_args()
    os.makedirs(osp.dirname(osp.abspath(args.out_name)), exist_ok=True)
    path = publish(args.in_file, args.out_name, args.dataset, half=args.half)
    print(f'{path} ({osp.getsize(path) / 1e6:.2f} MB)')


if __name__ == '__main__':
    run_tool(main)
