"""Write the photo codecs' entries of configs/codec/metafile.yml from measured
results.

    python tools/misc/photo_codec_metafile.py ZOO_EVAL_DIR LEARNING_CURVE_CSV

``ZOO_EVAL_DIR/rd_summary.csv`` (tools/analysis_tools/eval_codec.py on the
published checkpoints) gives the held-out bpp, PSNR, MS-SSIM, JPEG / WebP at
the same bpp and the BD-rates; the learning curve
(tools/analysis_tools/codec_learning_curve.py) gives the training iterations
and hours of the published iteration. One entry per published checkpoint
(``checkpoints/<config>_<date>-<hash>.pth``), replacing the entry of the same
config or of the same operating point (latent channels) in the photo-codec
collection.
"""
import argparse
import csv
import glob
import math
import os.path as osp
import re

import torch
import yaml
from mmengine.config import Config

from cdi_mm.apis.cli import run_tool

METAFILE = 'configs/codec/metafile.yml'
COLLECTION = 'factorized-prior-s8 photo codecs'
COMMAND = ('bash tools/experiments/train_photo_codecs.sh && '
           'bash tools/experiments/publish_photo_codecs.sh')


def _number(value, digits):
    value = float(value) if value not in ('', None) else math.nan
    return None if math.isnan(value) else round(value, digits)


def entry(summary, curve):
    """The metafile entry of one published codec (a row of rd_summary.csv)."""
    config = re.sub(r'_\d{8}-[0-9a-f]{8}$', '', summary['codec'])
    weights, = glob.glob(f'checkpoints/{summary["codec"]}.pth')
    state = torch.load(weights, map_location='cpu', weights_only=True)
    params = sum(v.numel() for k, v in state['state_dict'].items()
                 if not re.search(r'_quantized_cdf|_offset|_cdf_length', k))
    iteration = state['meta'].get('iter')
    point = next(r for r in curve
                 if r['run'] == config and int(r['iteration']) == iteration)
    cfg = Config.fromfile(f'configs/codec/{config}.py')
    metadata = {
        'bpp': _number(summary['bpp'], 4),
        'Latent channels': cfg.model.codec.channels,
        'Parameters (M)': round(params / 1e6, 3),
        'Training iterations': iteration,
        'Training hours (CPU, shared)': round(float(point['train_hours']), 2)
    }
    if cfg.get('load_from'):
        metadata['Warm start'] = cfg.load_from
    return {
        'Name':
        config,
        'In Collection':
        COLLECTION,
        'Config':
        f'configs/codec/{config}.py',
        'Metadata':
        metadata,
        'Results': [{
            'Task': 'Image Compression',
            'Dataset': 'photo pool, 10 held-out photos (512 px short side)',
            'Metrics': {
                'PSNR':
                _number(summary['psnr'], 2),
                'MS-SSIM':
                _number(summary['ms_ssim'], 4),
                'JPEG PSNR at bpp':
                _number(summary['jpeg_psnr_at_bpp'], 2),
                'JPEG MS-SSIM at bpp':
                _number(summary['jpeg_ms_ssim_at_bpp'], 4),
                'WebP PSNR at bpp':
                _number(summary['webp_psnr_at_bpp'], 2),
                'BD-rate vs JPEG (PSNR) %':
                _number(summary['bd_rate_vs_jpeg_psnr'], 1),
                'BD-rate vs JPEG (MS-SSIM) %':
                _number(summary['bd_rate_vs_jpeg_ms_ssim'], 1),
                'BD-rate vs WebP (PSNR) %':
                _number(summary['bd_rate_vs_webp_psnr'], 1)
            }
        }],
        'Weights':
        weights,
        'Command':
        COMMAND
    }


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'zoo_eval', help='eval_codec.py output folder (rd_summary.csv)')
    parser.add_argument('learning_curve', help='codec_learning_curve.py CSV')
    return parser.parse_args()


def main():
    args = parse_args()
    with open(osp.join(args.zoo_eval, 'rd_summary.csv')) as f:
        summaries = [r for r in csv.DictReader(f) if r['bpp']]
    with open(args.learning_curve) as f:
        curve = list(csv.DictReader(f))
    with open(METAFILE) as f:
        text = f.read()
    header = ''.join(
        line for line in text.splitlines(True) if line.startswith('#'))
    metafile = yaml.safe_load(text)
    for summary in summaries:
        new = entry(summary, curve)
        channels = new['Metadata']['Latent channels']
        metafile['Models'] = [
            m for m in metafile['Models'] if m['Name'] != new['Name']
            and not (m.get('In Collection') == COLLECTION
                     and m['Metadata'].get('Latent channels') == channels)
        ] + [new]
        print(f"{new['Name']}: {new['Metadata']['bpp']} bpp, "
              f"{new['Results'][0]['Metrics']['PSNR']} dB")
    with open(METAFILE, 'w') as f:
        f.write(header + yaml.safe_dump(
            metafile, sort_keys=False, width=100, allow_unicode=True))


if __name__ == '__main__':
    run_tool(main)
