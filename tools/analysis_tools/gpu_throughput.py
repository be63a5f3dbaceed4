"""Model throughput on one device (a GPU, or the CPU for a dry run), paper
widths.

    python tools/analysis_tools/gpu_throughput.py --out DIR \
        [--device cuda] [--amp] [--batch-sizes 64 256] [--iters 20] \
        [--train-iters 30]

Inference, images/s (after warm-up, CUDA-synchronised,
``torch.inference_mode``), models built from the ImageNet configs with a
random-weight paper-width codec in their stem (speed does not depend on trained
weights):

* A: cResNet-51 on 28x28x32 latents
  (``configs/cresnet/cresnet51_c32_8xb32_in1k.py``; the entropy decoding that
  produces latents runs in the data loader, on the CPU);
* B: synthesis transform + ResNet-50 on the 224x224 reconstruction
  (``configs/resnet_decoded/resnet50_c32-decoded_8xb32_in1k.py``);
* C: ResNet-50 on 224x224 RGB (the same network as B without the codec).

Training: iterations/s of the paper-width ``torfason2018`` codec (N=128, 5x3
blocks, C=32) on batches of 30 random 160x160 crops of scikit-image's photos
(the paper's setting), Adam, AMP with ``--amp``. Writes
``gpu_throughput.json``.
"""
import argparse
import json
import os
import os.path as osp
import time

import numpy as np
import torch

from cdi_mm.apis import init_model
from cdi_mm.apis.cli import run_tool
from cdi_mm.apis.inference_paths import PAPER_CONFIGS
from cdi_mm.models import CodecModel

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = dict(
    A=osp.join(REPO, PAPER_CONFIGS['cls_latent']),
    B=osp.join(REPO, PAPER_CONFIGS['cls_decoded']))
RANDOM_STEM = {
    'model.backbone.stem.codec_checkpoint': None,
    'model.backbone.stem.codec': dict(type='torfason2018', channels=32)
}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True)
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--amp', action='store_true', help='autocast to float16 (CUDA)')
    parser.add_argument(
        '--batch-sizes', type=int, nargs='+', default=[64, 256])
    parser.add_argument(
        '--iters', type=int, default=20, help='timed batches per row')
    parser.add_argument('--train-iters', type=int, default=30)
    parser.add_argument('--train-crop', type=int, default=160)
    parser.add_argument('--train-batch', type=int, default=30)
    return parser.parse_args()


def _sync(device):
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def timed(fn, device, iters):
    """Median seconds of ``fn()`` over ``iters`` runs after two warm-up
    runs."""
    for _ in range(2):
        fn()
    times = []
    for _ in range(iters):
        _sync(device)
        start = time.perf_counter()
        fn()
        _sync(device)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def inference_rows(args):
    latent_model = init_model(
        CONFIGS['A'], cfg_options=RANDOM_STEM, device=args.device)
    decoded_model = init_model(
        CONFIGS['B'], cfg_options=RANDOM_STEM, device=args.device)
    codec = decoded_model.backbone.stem.codec
    resnet = decoded_model.backbone.backbone

    def classify(model, features):
        return model.head(model.neck(features))

    paths = dict(
        A=lambda x: classify(latent_model, latent_model.backbone.backbone(x)),
        B=lambda x: classify(decoded_model, resnet(codec.synthesis(x))),
        C=lambda x: classify(decoded_model, resnet(x)))
    rows = []
    for batch in args.batch_sizes:
        latent = torch.randn(batch, 32, 28, 28, device=args.device)
        image = torch.rand(batch, 3, 224, 224, device=args.device)
        for name, fn in paths.items():
            x = image if name == 'C' else latent
            with torch.inference_mode(), torch.autocast(
                    args.device.split(':')[0], enabled=args.amp):
                seconds = timed(lambda: fn(x), args.device, args.iters)
            rows.append(
                dict(
                    path=name,
                    batch=batch,
                    amp=args.amp,
                    images_per_s=round(batch / seconds, 1)))
            print(
                f'{name} batch {batch}: {rows[-1]["images_per_s"]} images/s',
                flush=True)
    return rows


def codec_training(args):
    from skimage import data
    photos = [
        torch.from_numpy(getattr(data, name)()).permute(2, 0, 1).float() / 255
        for name in ('astronaut', 'coffee', 'chelsea', 'rocket')
    ]
    model = CodecModel(codec=dict(type='torfason2018', channels=32)).to(
        args.device).train()
    optimizer = torch.optim.Adam(model.parameters(), 1e-4)
    scaler = torch.amp.GradScaler(enabled=args.amp)
    crop, generator = args.train_crop, torch.Generator().manual_seed(0)

    def batch():
        out = []
        for i in torch.randint(
                0, len(photos), (args.train_batch, ), generator=generator):
            photo = photos[i]
            y = int(
                torch.randint(
                    0, photo.shape[1] - crop + 1, (1, ), generator=generator))
            x = int(
                torch.randint(
                    0, photo.shape[2] - crop + 1, (1, ), generator=generator))
            out.append(photo[:, y:y + crop, x:x + crop])
        return torch.stack(out).to(args.device)

    def step():
        with torch.autocast(args.device.split(':')[0], enabled=args.amp):
            losses = model.loss(batch())
        loss = losses['loss_distortion'] + losses['loss_rate']
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()

    seconds = timed(step, args.device, args.train_iters)
    return dict(
        codec='torfason2018 N=128 5x3 C=32',
        batch=args.train_batch,
        crop=crop,
        amp=args.amp,
        iters_per_s=round(1 / seconds, 3))


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    device_name = (
        torch.cuda.get_device_name(args.device)
        if args.device.startswith('cuda') else f'CPU ({os.cpu_count()} cores)')
    result = dict(
        device=device_name,
        torch=torch.__version__,
        inference=inference_rows(args),
        codec_training=codec_training(args))
    print(
        f"codec training: {result['codec_training']['iters_per_s']} it/s",
        flush=True)
    with open(osp.join(args.out, 'gpu_throughput.json'), 'w') as f:
        json.dump(result, f, indent=2)


if __name__ == '__main__':
    run_tool(main)
