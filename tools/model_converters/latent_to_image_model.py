"""Put a pre-encoded latent classifier and its codec into one checkpoint for
the on-the-fly config (images in, codec stem, the same backbone and head).

    python tools/model_converters/latent_to_image_model.py ON_THE_FLY_CONFIG \
        PREENCODED_CHECKPOINT OUT.pth

The on-the-fly model's codec is its ``CodecStem(codec_checkpoint=...)``; it
must be the codec the latent classifier was trained on (the fingerprint the
checkpoint records in ``meta['input_codecs']``), else ``CodecMismatchError``.
Every backbone, neck and head weight must be in the pre-encoded checkpoint
(``backbone.X`` becomes ``backbone.backbone.X``) and nothing may be left over.
Publish the result with ``tools/model_converters/publish_model.py``. See
:mod:`cdi_mm.apis.model_conversion`.
"""
import argparse

import torch

from cdi_mm.apis.cli import run_tool
from cdi_mm.apis.model_conversion import image_model_checkpoint


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='the on-the-fly (image input) config')
    parser.add_argument('checkpoint', help='the pre-encoded classifier')
    parser.add_argument('out', help='output checkpoint')
    args = parser.parse_args()
    torch.save(image_model_checkpoint(args.config, args.checkpoint), args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    run_tool(main)
