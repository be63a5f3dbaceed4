"""Warm-start a codec config with more latent channels from a trained codec
checkpoint.

    python tools/model_converters/widen_codec.py SRC_CHECKPOINT DST_CONFIG \
        OUT_FILE

Builds ``model.codec`` of ``DST_CONFIG``, copies the trained codec of
``SRC_CHECKPOINT`` into it (:func:`cdi_mm.codecs.widen_latent_channels`: same
reconstruction, the new channels silent) and writes ``OUT_FILE`` for the
config's ``load_from``. Used to start the C=32 photo codec from the trained
C=16 one.
"""
import argparse
import os

import torch
from mmengine.config import Config

from cdi_mm.apis.cli import run_tool
from cdi_mm.codec_loading import load_codec
from cdi_mm.codecs import build_codec, widen_latent_channels


def quietest_channel(codec):
    """The latent channel with the narrowest learned range (entropy-bottleneck
    quantiles), i.e. the one the codec spends the fewest bits on."""
    quantiles = codec.quantizer.entropy_bottleneck.quantiles.detach()[:, 0]
    return int((quantiles[:, 2] - quantiles[:, 0]).argmin())


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'src', help='trained codec checkpoint (records its codec)')
    parser.add_argument(
        'config', help='config whose model.codec is the wider codec')
    parser.add_argument(
        'out', help='checkpoint to write (a state dict for load_from)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    src = load_codec(args.src)
    dst = build_codec(Config.fromfile(args.config).model.codec)
    template = quietest_channel(src)
    widened = widen_latent_channels(src, dst, template_channel=template)
    print(f'new channels start with the entropy model of channel {template}')
    print(f'widened {len(widened)} tensors: {", ".join(widened)}')
    state = {f'codec.{k}': v for k, v in dst.state_dict().items()}
    tmp = f'{args.out}.tmp{os.getpid()}'
    torch.save(
        dict(
            meta=dict(widened_from=os.path.basename(args.src)),
            state_dict=state), tmp)
    os.replace(tmp, args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    run_tool(main)
