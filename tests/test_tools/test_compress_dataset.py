import os
import os.path as osp

import numpy as np
import pytest
import torch
from helpers import PYTHON, REPO, run_tool, save_codec_checkpoint
from PIL import Image

from cdi_mm.apis import CodecCheckpointError, compress_dataset, load_codec
from cdi_mm.codecs import decompress_image
from cdi_mm.evaluation import bd_rate


def test_compress_dataset_mirrors_tree_and_resumes(tmp_path, voc_like):
    ckpt = str(tmp_path / 'codec.pth')
    codec = save_codec_checkpoint(ckpt)
    dst = tmp_path / 'dst'
    report = compress_dataset(ckpt, str(voc_like), str(dst), workers=1)
    assert report['images'] == 5 and report['skipped'] == 0 and report[
        'copied'] == 6
    for i in range(5):
        data = (dst / 'img_dir' / 'train' / f'{i}.cdi').read_bytes()
        assert decompress_image(codec, data).image_size == (40, 48)
        assert (dst / 'ann_dir' / 'train' / f'{i}.png').read_bytes() == \
            (voc_like / 'ann_dir' / 'train' / f'{i}.png').read_bytes()
    assert (dst / 'train.txt'
            ).read_text() == 'img_dir/train/0.cdi 1\nimg_dir/train/1.cdi 0\n'
    total = sum(
        osp.getsize(dst / 'img_dir' / 'train' / f'{i}.cdi') for i in range(5))
    assert report['cdi_bytes'] == total
    assert report['bpp'] == pytest.approx(8 * total / (5 * 40 * 48))
    reference = {
        i: (dst / 'img_dir' / 'train' / f'{i}.cdi').read_bytes()
        for i in range(5)
    }

    # a broken and a missing file are redone, valid ones are skipped
    (dst / 'img_dir' / 'train' / '2.cdi').write_bytes(reference[2][:10])
    os.remove(dst / 'img_dir' / 'train' / '3.cdi')
    again = compress_dataset(ckpt, str(voc_like), str(dst), workers=1)
    assert again['skipped'] == 3
    train = dst / 'img_dir' / 'train'
    assert {
        i: (train / f'{i}.cdi').read_bytes()
        for i in range(5)
    } == reference
    assert not [
        f for f in os.listdir(dst / 'img_dir' / 'train') if '.tmp' in f
    ]
    # workers=0 (in this process) writes the pool's bytes, leaves the
    # caller's thread count alone, and a negative count is refused
    threads = torch.get_num_threads()
    here = tmp_path / 'here'
    compress_dataset(ckpt, str(voc_like), str(here), workers=0)
    assert {
        i: (here / 'img_dir' / 'train' / f'{i}.cdi').read_bytes()
        for i in range(5)
    } == reference
    assert torch.get_num_threads() == threads
    with pytest.raises(ValueError, match='workers must be at least 0'):
        compress_dataset(ckpt, str(voc_like), str(tmp_path / 'x'), workers=-1)


def test_compress_dataset_resizes_first(tmp_path, voc_like):
    ckpt = str(tmp_path / 'codec.pth')
    codec = save_codec_checkpoint(ckpt)
    dst = tmp_path / 'dst'
    report = compress_dataset(
        ckpt, str(voc_like), str(dst), size=(32, 24), workers=0)
    data = (dst / 'img_dir' / 'train' / '0.cdi').read_bytes()
    assert decompress_image(codec, data).image_size == (24, 32)
    assert report['bpp'] == pytest.approx(8 * report['cdi_bytes'] /
                                          (5 * 24 * 32))
    # files of another size are not "valid" for a run that asks for this size
    again = compress_dataset(
        ckpt, str(voc_like), str(dst), size=(16, 16), workers=0)
    assert again['skipped'] == 0


def test_compress_dataset_cli_with_workers(tmp_path, voc_like):
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    out = run_tool([
        PYTHON, 'tools/compress_dataset.py', ckpt,
        str(voc_like),
        str(tmp_path / 'dst'), '--workers', '2'
    ],
                   cwd=REPO)
    assert 'encoded 5 images' in out.stdout and 'mean bpp' in out.stdout


def test_load_codec_errors(tmp_path):
    plain = str(tmp_path / 'plain.pth')
    torch.save({'state_dict': {}, 'meta': {}}, plain)
    with pytest.raises(CodecCheckpointError, match='records no codec'):
        load_codec(plain)
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    with pytest.raises(
            CodecCheckpointError, match="has no codec 'backbone.stem'"):
        load_codec(ckpt, name='backbone.stem')
    tampered = torch.load(ckpt, weights_only=True)
    tampered['state_dict']['codec.quantizer.centers'] += 1
    torch.save(tampered, ckpt)
    with pytest.raises(CodecCheckpointError, match='inconsistent'):
        load_codec(ckpt)


def test_compress_dataset_without_images(tmp_path):
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='no images'):
        compress_dataset(
            ckpt, str(tmp_path / 'empty'), str(tmp_path / 'dst'), workers=0)


def test_eval_codec_writes_rd_tables_and_plot(tmp_path, voc_like):
    import csv
    ckpt = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(ckpt)
    out = tmp_path / 'rd'
    proc = run_tool([
        PYTHON, 'tools/analysis_tools/eval_codec.py', ckpt, '--images',
        str(voc_like / 'img_dir' / 'train'), '--out',
        str(out)
    ],
                    cwd=REPO)
    assert 'BD-rate PSNR vs JPEG' in proc.stdout
    rows = list(csv.DictReader(open(out / 'rd_per_image.csv')))
    mine = [r for r in rows if r['codec'] == 'codec']
    assert len(mine) == 5
    for row in mine:
        data = compress_file_bytes(
            ckpt, voc_like / 'img_dir' / 'train' / row['image'])
        assert float(row['bpp']) == pytest.approx(8 * len(data) / (40 * 48))
    # every reference quality on every image, and the curve is their mean
    references = list(csv.DictReader(open(out / 'rd_references.csv')))
    for ref in references:
        name = f"{ref['format']}-q{ref['quality']}"
        points = [float(r['psnr']) for r in rows if r['codec'] == name]
        assert len(points) == 5 and float(ref['psnr']) == pytest.approx(
            np.mean(points))
    assert {r['format'] for r in references} == {'JPEG', 'WEBP'}
    summary = list(csv.DictReader(open(out / 'rd_summary.csv')))
    assert float(summary[0]['bpp']) == pytest.approx(
        np.mean([float(r['bpp']) for r in mine]))
    jpeg = [
        dict(bpp=float(r['bpp']), psnr=float(r['psnr'])) for r in references
        if r['format'] == 'JPEG'
    ]
    point = dict(bpp=float(summary[0]['bpp']), psnr=float(summary[0]['psnr']))
    assert float(summary[0]['bd_rate_vs_jpeg_psnr']) == pytest.approx(
        bd_rate(sorted(jpeg, key=lambda p: p['bpp']), [point]), nan_ok=True)
    assert (out / 'rd_curve.png').stat().st_size > 10000


def compress_file_bytes(ckpt, path):
    from cdi_mm.apis import compress_file
    return compress_file(load_codec(ckpt), str(path))


def test_compress_dataset_batches_the_analysis_transform(tmp_path, voc_like):
    """Batches of 3 same-size images (and a lone odd-size one): every file
    decodes to the latent the codec computes for its image alone, and a refused
    image in a batch does not stop the others."""
    ckpt = str(tmp_path / 'codec.pth')
    codec = save_codec_checkpoint(ckpt)
    src = voc_like / 'img_dir' / 'train'
    Image.fromarray(np.zeros((24, 16, 3), np.uint8)).save(src / 'odd.png')
    (src / 'broken.png').write_text('not an image')
    report = compress_dataset(
        ckpt, str(voc_like), str(tmp_path / 'dst'), batch_size=3, workers=0)
    assert report['images'] == 6 and len(report['refused']) == 1
    from cdi_mm.apis import read_image
    from cdi_mm.codecs import pad_to_stride
    for name in ['0', '1', '2', '3', '4', 'odd']:
        data = (tmp_path / 'dst' / 'img_dir' / 'train' /
                f'{name}.cdi').read_bytes()
        with torch.no_grad():
            expected = codec.encode_latent(
                pad_to_stride(read_image(str(src / f'{name}.png')), 8))[0]
        assert torch.equal(decompress_image(codec, data).latent, expected)
    with pytest.raises(ValueError, match='batch_size at least 1'):
        compress_dataset(
            ckpt,
            str(voc_like),
            str(tmp_path / 'dst2'),
            batch_size=0,
            workers=0)


def test_decompress_dataset_writes_the_decoded_images(tmp_path, voc_like):
    ckpt = str(tmp_path / 'codec.pth')
    codec = save_codec_checkpoint(ckpt)
    compress_dataset(ckpt, str(voc_like), str(tmp_path / 'cdi'), workers=0)
    out = run_tool([
        PYTHON, 'tools/decompress_dataset.py', ckpt,
        str(tmp_path / 'cdi'),
        str(tmp_path / 'decoded')
    ], REPO)
    assert 'decoded 5 images (0 already there)' in out.stdout
    decoded = tmp_path / 'decoded'
    data = (tmp_path / 'cdi' / 'img_dir' / 'train' / '1.cdi').read_bytes()
    with torch.no_grad():
        reference = decompress_image(codec, data, reconstruct=True).image
    expected = (reference * 255).round().to(torch.uint8).permute(1, 2,
                                                                 0).numpy()
    assert np.array_equal(
        np.asarray(Image.open(decoded / 'img_dir' / 'train' / '1.png')),
        expected)
    assert (decoded / 'ann_dir' / 'train' / '1.png').read_bytes() == \
        (voc_like / 'ann_dir' / 'train' / '1.png').read_bytes()
    assert (decoded / 'train.txt'
            ).read_text() == 'img_dir/train/0.png 1\nimg_dir/train/1.png 0\n'
    assert not (decoded / 'cdi_codec.json').exists()
    assert 'decoded 0 images (5 already there)' in run_tool([
        PYTHON, 'tools/decompress_dataset.py', ckpt,
        str(tmp_path / 'cdi'),
        str(tmp_path / 'decoded')
    ], REPO).stdout
    # a codec that did not write the files: one error naming the file
    other = str(tmp_path / 'other.pth')
    save_codec_checkpoint(other, seed=3)
    failed = run_tool([
        PYTHON, 'tools/decompress_dataset.py', other,
        str(tmp_path / 'cdi'),
        str(tmp_path / 'decoded2')
    ],
                      REPO,
                      check=False)
    assert failed.returncode == 1
    assert 'error: BitstreamError' in failed.stderr and '.cdi' in failed.stderr


def test_val_fraction_splits_by_path_hash(tmp_path):
    from cdi_mm.apis.dataset_codec import plan, split_of
    src = tmp_path / 'src'
    for cls in ('a', 'b'):
        os.makedirs(src / cls)
        for i in range(40):
            (src / cls / f'{i}.png').write_bytes(b'')
    encode, _, _, _ = plan(str(src), val_fraction=0.25)
    parts = [out.split(os.sep)[0] for _, out in encode]
    assert set(parts) == {'train', 'val'}
    assert 10 <= parts.count('val') <= 30  # about 20 of 80
    # the rest of the path is kept; the split is the hash's
    for rel, out in encode:
        assert out == osp.join(
            split_of(rel, 0.25),
            osp.splitext(rel)[0] + '.cdi')
    assert plan(str(src), val_fraction=0.25)[0] == encode  # deterministic
    # a larger fraction only moves files from train to val
    wider = dict(plan(str(src), val_fraction=0.5)[0])
    assert all(wider[rel].startswith('val') for rel, out in encode
               if out.startswith('val'))
    with pytest.raises(ValueError, match='val_fraction'):
        compress_dataset(
            'unused.pth',
            str(src),
            str(tmp_path / 'dst'),
            val_fraction=1.0,
            workers=0)
    # a licence is copied as usual; a list naming the images would go stale:
    # refused
    (src / 'LICENSE.txt').write_text('CC BY 4.0\n')
    assert plan(str(src), val_fraction=0.25)[0] == encode
    (src / 'train.txt').write_text('a/0.png 0\nb/0.PNG 1\n')
    with pytest.raises(ValueError, match=r'annotation lists .*train\.txt'):
        plan(str(src), val_fraction=0.25)
    assert plan(
        str(src))[0]  # without a split the lists are rewritten, as before
