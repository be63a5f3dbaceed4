"""Classify or segment one image or ``.cdi`` file with a trained cdi_mm model.

    python tools/infer.py CONFIG CHECKPOINT INPUT [--topk 5] \
        [--out-file overlay.png]

Classification prints the top-k labels with scores. Segmentation prints the
share of each predicted class and writes an overlay PNG with mmseg's visualizer
(for a ``.cdi`` input the background picture is the codec's reconstruction,
made only for the picture; the prediction itself never decodes). Configs with
``LoadLatentFromFile`` take ``.cdi`` files; a file of another codec than the
model was trained with is refused.
"""
import argparse
import os.path as osp

import numpy as np

from cdi_mm.apis import inference, init_model, read_image
from cdi_mm.apis.cli import run_tool
from cdi_mm.codecs import decompress_image, to_uint8_hwc
from cdi_mm.datasets import LoadLatentFromFile


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('input', help='image file or .cdi file')
    parser.add_argument('--topk', type=int, default=5)
    parser.add_argument(
        '--out-file',
        help='segmentation overlay PNG '
        '(default: <input name>_overlay.png in the current folder)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--strict',
        choices=('true', 'false'),
        default='true',
        help='refuse checkpoints whose keys do not match the model '
        '(default); false loads what matches and warns')
    return parser.parse_args()


def picture(model, path):
    """RGB uint8 (H, W, 3) picture of the input for the overlay."""
    if not path.endswith('.cdi'):
        return to_uint8_hwc(read_image(path)[0])
    loader = next(t for t in model.cfg.test_dataloader.dataset.pipeline
                  if t['type'] in ('LoadLatentFromFile', 'LoadLatentSymbols'))
    codec = LoadLatentFromFile(
        loader.get('codec_checkpoint'),
        loader.get('codec_name')).codec_for(path)[0]
    with open(path, 'rb') as f:
        return to_uint8_hwc(
            decompress_image(codec, f.read(), reconstruct=True).image)


def main():
    args = parse_args()
    model = init_model(
        args.config,
        args.checkpoint,
        device=args.device,
        strict=args.strict == 'true')
    result = inference(model, args.input, topk=args.topk)
    if 'mask' not in result:
        for label, score in zip(result['labels'], result['scores']):
            print(f'{score:.4f}  {label}')
        return
    from mmseg.visualization import SegLocalVisualizer
    classes = model.dataset_meta['classes']
    ids, counts = np.unique(result['mask'], return_counts=True)
    for i, n in sorted(zip(ids, counts), key=lambda p: -p[1]):
        print(f'{n / result["mask"].size:.4f}  {classes[i]}')
    stem = osp.splitext(osp.basename(args.input))[0]
    out = args.out_file or f'{stem}_overlay.png'
    visualizer = SegLocalVisualizer(name='cdi_mm_infer', alpha=0.5)
    visualizer.dataset_meta = dict(
        classes=classes, palette=model.dataset_meta.get('palette'))
    visualizer.add_datasample(
        'prediction',
        picture(model, args.input),
        result['data_sample'],
        draw_gt=False,
        out_file=out)
    print(f'wrote {out}')


if __name__ == '__main__':
    run_tool(main)
