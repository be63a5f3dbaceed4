"""Hostile and broken input to dataset encoding and the tools: every failure is
a clear error naming the file (one line from the command-line tools), never a
hang, a silent loss or a traceback."""
import fcntl
import json
import os
import os.path as osp
import re
import subprocess
import time

import numpy as np
import psutil
import pytest
import torch
from helpers import PYTHON, REPO, run_tool, save_codec_checkpoint
from mmengine.config import Config
from PIL import Image

from cdi_mm.apis import (CheckpointMismatchError, DatasetEncodingError,
                         ImageReadError, NameCollisionError, compress_dataset,
                         init_model, read_image)
from cdi_mm.apis.dataset_codec import LOCK_FILE, SOURCES_FILE, plan
from cdi_mm.codecs import IMAGE_SUFFIXES, bitstream
from cdi_mm.datasets import MANIFEST_FILE
from cdi_mm.safe_checkpoint import CheckpointReadError, safe_load

CRESNET39 = f'{REPO}/configs/cresnet/cresnet39-w32_c8-preencoded_1xb32-2k_fashion-mnist.py'  # noqa: E501
CRESNET51 = f'{REPO}/configs/cresnet/cresnet51-w32_c8-preencoded_1xb32-2k_fashion-mnist.py'  # noqa: E501


def _png(path, seed=0, shape=(24, 32, 3)):
    os.makedirs(osp.dirname(path), exist_ok=True)
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 255, shape, dtype=np.uint8)).save(path)


@pytest.fixture()
def codec_ckpt(tmp_path):
    path = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(path)
    return path


@pytest.fixture()
def broken_files(tmp_path):
    """A text file named .png, a truncated PNG and a truncated JPEG, next to a
    whole PNG and a whole JPEG."""
    root = tmp_path / 'broken'
    root.mkdir()
    (root / 'text.png').write_text('not an image\n' * 20)
    _png(str(root / 'whole.png'))
    data = (root / 'whole.png').read_bytes()
    (root / 'cut.png').write_bytes(data[:len(data) // 2])
    Image.open(root / 'whole.png').save(root / 'photo.jpg', quality=90)
    data = (root / 'photo.jpg').read_bytes()
    (root / 'short.jpg').write_bytes(data[:len(data) // 2])
    return root


# --- reading images
# -------------------------------------------------------------------


def test_read_image_names_the_file_for_broken_images(broken_files):
    for name, match in (('text.png', 'not a readable image'),
                        ('cut.png', 'cannot decode'), ('short.jpg',
                                                       'truncated JPEG')):
        path = str(broken_files / name)
        with pytest.raises(ImageReadError, match=match) as info:
            read_image(path)
        assert path in str(info.value)
    with pytest.raises(FileNotFoundError):
        read_image(str(broken_files / 'missing.png'))
    assert read_image(str(broken_files / 'photo.jpg')).shape == (1, 3, 24, 32)


def test_read_image_refuses_images_over_the_pixel_limit_before_decoding(
        broken_files, monkeypatch):
    monkeypatch.setattr(bitstream, 'MAX_IMAGE_PIXELS', 24 * 32 - 1)
    with pytest.raises(
            ImageReadError, match='32x24 pixels exceeds MAX_IMAGE_PIXELS=767'):
        read_image(str(broken_files / 'whole.png'))
    monkeypatch.setattr(bitstream, 'MAX_IMAGE_PIXELS', 24 * 32)
    assert read_image(str(broken_files / 'whole.png')).shape == (1, 3, 24, 32)


# --- compress_dataset
# -------------------------------------------------------------------


def test_name_collisions_are_refused_up_front(tmp_path):
    _png(str(tmp_path / 'src' / 'a.png'))
    Image.open(tmp_path / 'src' / 'a.png').save(tmp_path / 'src' / 'a.jpg')
    _png(str(tmp_path / 'src' / 'b.png'))
    with pytest.raises(NameCollisionError, match='a.jpg and a.png'):
        plan(str(tmp_path / 'src'))


def test_bad_codec_checkpoint_fails_at_once_without_workers(tmp_path):
    _png(str(tmp_path / 'src' / 'a.png'))
    (tmp_path / 'text.pth').write_text('hello\n')
    for ckpt, error in ((str(tmp_path / 'missing.pth'), FileNotFoundError),
                        (str(tmp_path / 'text.pth'), CheckpointReadError)):
        with pytest.raises(error, match=osp.basename(ckpt)):
            compress_dataset(
                ckpt, str(tmp_path / 'src'), str(tmp_path / 'dst'), workers=2)
    # the command line: one line, exit 1, within seconds (the old pool
    # restarted its failing workers forever)
    proc = run_tool([
        PYTHON, 'tools/compress_dataset.py',
        str(tmp_path / 'text.pth'),
        str(tmp_path / 'src'),
        str(tmp_path / 'dst2')
    ],
                    cwd=REPO,
                    timeout=120,
                    check=False)
    assert proc.returncode == 1
    assert 'error: CheckpointReadError:' in proc.stderr
    assert 'text.pth' in proc.stderr
    assert 'Traceback' not in proc.stderr
    assert not osp.exists(tmp_path / 'dst2')


def _spawned_workers(pid):
    """The live pool workers of process ``pid``: children started by
    ``multiprocessing.spawn`` (not its resource tracker, nor short-lived
    helpers such as ``ldconfig`` that may already be zombies)."""
    workers = []
    for child in psutil.Process(pid).children():
        try:
            if 'spawn_main' in ' '.join(child.cmdline()):
                workers.append(child)
        except psutil.Error:  # exited between the listing and the read
            continue
    return workers


def test_a_killed_worker_fails_the_run_instead_of_hanging(
        tmp_path, codec_ckpt):
    for i in range(400):
        _png(str(tmp_path / 'src' / f'{i}.png'), seed=i)
    proc = subprocess.Popen([
        PYTHON, 'tools/compress_dataset.py', codec_ckpt,
        str(tmp_path / 'src'),
        str(tmp_path / 'dst'), '--workers', '2'
    ],
                            cwd=REPO,
                            env=dict(os.environ, OMP_NUM_THREADS='1'),
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    workers = []
    while len(workers) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        workers = _spawned_workers(proc.pid)
        time.sleep(0.05)
    time.sleep(1.0)
    workers[0].kill()
    try:
        _, stderr = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail('compress_dataset hung after a worker was killed')
    assert proc.returncode == 1
    assert 'error: DatasetEncodingError: an encoding worker died' in stderr
    assert 'rerun to resume' in stderr
    # the message names the images in flight (the dead worker's among them)
    assert re.search(r'one of [1-9]\d* images \(.*src/\d+\.png', stderr)


def test_refused_images_are_reported_and_the_rest_encoded(
        tmp_path, codec_ckpt, broken_files):
    dst = tmp_path / 'dst'
    report = compress_dataset(
        codec_ckpt, str(broken_files), str(dst), workers=0)
    assert report['images'] == 2
    assert sorted(
        osp.basename(m.split(':')[0])
        for m in report['refused']) == ['cut.png', 'short.jpg', 'text.png']
    assert sorted(os.listdir(dst)) == sorted(
        [LOCK_FILE, SOURCES_FILE, MANIFEST_FILE, 'photo.cdi', 'whole.cdi'])
    out = run_tool([
        PYTHON, 'tools/compress_dataset.py', codec_ckpt,
        str(broken_files),
        str(dst)
    ],
                   cwd=REPO,
                   check=False)
    assert out.returncode == 1
    for expected in ('refused 3 images (not written)',
                     'short.jpg: truncated JPEG', '(2 already valid'):
        assert expected in out.stdout


def test_stale_cdi_of_a_now_broken_source_is_removed(tmp_path, codec_ckpt):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    _png(str(src / 'a.png'))
    _png(str(src / 'b.png'), seed=1)
    compress_dataset(codec_ckpt, str(src), str(dst), workers=0)
    (src / 'b.png').write_text('now broken')
    report = compress_dataset(codec_ckpt, str(src), str(dst), workers=0)
    assert report['skipped'] == 1 and len(report['refused']) == 1
    assert not (dst / 'b.cdi').exists()


def test_resume_redoes_files_whose_source_changed(tmp_path, codec_ckpt):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    _png(str(src / 'a.png'))
    _png(str(src / 'b.png'), seed=1)
    compress_dataset(codec_ckpt, str(src), str(dst), workers=0)
    before = (dst / 'b.cdi').read_bytes()
    _png(str(src / 'b.png'), seed=2)  # same size, new pixels
    report = compress_dataset(codec_ckpt, str(src), str(dst), workers=0)
    assert report['skipped'] == 1
    assert (dst / 'b.cdi').read_bytes() != before
    lines = [json.loads(line) for line in open(dst / SOURCES_FILE)]
    assert [entry['cdi'] for entry in lines].count('b.cdi') == 2
    assert lines[-1]['size'] == osp.getsize(src / 'b.png')


def test_second_run_on_the_same_destination_is_refused(tmp_path, codec_ckpt):
    _png(str(tmp_path / 'src' / 'a.png'))
    dst = tmp_path / 'dst'
    dst.mkdir()
    with open(dst / LOCK_FILE, 'w') as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write('4242')
        held.flush()
        with pytest.raises(
                DatasetEncodingError,
                match=r'another compress_dataset run '
                r'\(pid 4242\)'):
            compress_dataset(
                codec_ckpt, str(tmp_path / 'src'), str(dst), workers=0)
    assert compress_dataset(
        codec_ckpt, str(tmp_path / 'src'), str(dst), workers=0)['images'] == 1


def test_masks_by_layout_and_by_glob_are_copied_not_encoded(
        tmp_path, codec_ckpt):
    src = tmp_path / 'src'
    for rel in (
            'images/training/a.jpg',
            'annotations/training/a.png',  # ADE20K
            'leftImg8bit/train/x/b.png',
            'gtFine/train/x/b_gtFine_labelIds.png',
            'custom/c.png',
            'custom/c_mask.png'):
        _png(
            str(src / rel),
            shape=(24, 32, 3) if 'mask' not in rel else (24, 32))
    encode, copy, _, _ = plan(str(src), masks=['custom/*_mask.png'])
    assert sorted(rel for rel, _ in encode) == [
        'custom/c.png', 'images/training/a.jpg', 'leftImg8bit/train/x/b.png'
    ]
    assert sorted(copy) == [
        'annotations/training/a.png', 'custom/c_mask.png',
        'gtFine/train/x/b_gtFine_labelIds.png'
    ]
    out = run_tool([
        PYTHON, 'tools/compress_dataset.py', codec_ckpt,
        str(src),
        str(tmp_path / 'dst'), '--masks', 'custom/*_mask.png'
    ],
                   cwd=REPO)
    assert 'encoded 3 images' in out.stdout
    assert (tmp_path / 'dst' / 'custom' / 'c_mask.png').read_bytes() == \
        (src / 'custom' / 'c_mask.png').read_bytes()


def test_symlinked_folders_are_followed_and_cycles_reported(tmp_path):
    src = tmp_path / 'src'
    _png(str(tmp_path / 'elsewhere' / 'x.png'))
    _png(str(src / 'own' / 'y.png'))
    os.symlink(tmp_path / 'elsewhere', src / 'linked')
    os.symlink(src, src / 'own' / 'loop')
    encode, _, repeated, _ = plan(str(src))
    assert sorted(rel for rel, _ in encode) == ['linked/x.png', 'own/y.png']
    assert repeated == [osp.join('own', 'loop')]


# --- checkpoints and tools
# ----------------------------------------------------------------


def test_safe_load_names_truncated_and_foreign_files(tmp_path):
    torch.save({'w': torch.zeros(1000)}, tmp_path / 'full.pth')
    data = (tmp_path / 'full.pth').read_bytes()
    (tmp_path / 'cut.pth').write_bytes(data[:len(data) // 2])
    (tmp_path / 'text.pth').write_text('a text file\n')
    with pytest.raises(
            CheckpointReadError,
            match='cut.pth: not a readable torch checkpoint'):
        safe_load(str(tmp_path / 'cut.pth'))
    with pytest.raises(
            CheckpointReadError, match='text.pth: not a torch checkpoint'):
        safe_load(str(tmp_path / 'text.pth'))


def test_init_model_refuses_a_mismatched_checkpoint(tmp_path):
    cresnet39 = init_model(CRESNET39)
    ckpt = str(tmp_path / 'cresnet39.pth')
    torch.save({'state_dict': cresnet39.state_dict(), 'meta': {}}, ckpt)
    with pytest.raises(CheckpointMismatchError, match='missing keys') as info:
        init_model(CRESNET51, ckpt)
    assert 'cresnet51' in str(info.value) and '--strict false' in str(
        info.value)
    loose = init_model(CRESNET51, ckpt, strict=False)  # what matches is loaded
    common = [
        k for k, v in loose.state_dict().items()
        if k in cresnet39.state_dict() and v.shape == cresnet39.state_dict()
        [k].shape and v.is_floating_point()
    ]
    assert common and all(
        torch.equal(loose.state_dict()[k],
                    cresnet39.state_dict()[k]) for k in common)
    assert init_model(CRESNET39, ckpt) is not None


def test_infer_answers_bad_input_with_one_line(tmp_path, broken_files):
    cfg = Config.fromfile(CRESNET39)
    model = init_model(cfg)
    ckpt = str(tmp_path / 'model.pth')
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, ckpt)
    data = open(ckpt, 'rb').read()
    (tmp_path / 'cut.pth').write_bytes(data[:len(data) // 3])
    cases = (
        ([CRESNET39, ckpt,
          str(tmp_path / 'missing.cdi')], 'FileNotFoundError', 'missing.cdi'),
        ([CRESNET39,
          str(tmp_path / 'cut.pth'),
          str(tmp_path / 'x.cdi')], 'CheckpointReadError', 'cut.pth'),
        ([CRESNET51, ckpt,
          str(tmp_path / 'x.cdi')], 'CheckpointMismatchError', 'model.pth'),
    )
    (tmp_path / 'x.cdi').write_bytes(b'CDIM' + bytes(40))
    for args, error, name in cases:
        proc = run_tool([PYTHON, 'tools/infer.py', *args],
                        cwd=REPO,
                        check=False)
        assert proc.returncode == 1, proc.stderr
        last = proc.stderr.strip().splitlines()
        assert f'error: {error}:' in last[-2] and name in last[-2], proc.stderr
        assert 'Traceback' not in proc.stderr
    proc = run_tool([
        PYTHON, 'tools/infer.py', CRESNET39, ckpt,
        str(tmp_path / 'x.cdi'), '--debug'
    ],
                    cwd=REPO,
                    check=False)
    assert proc.returncode == 1 and 'Traceback' in proc.stderr
    assert 'x.cdi' in proc.stderr


@pytest.mark.parametrize('args, error, name', [
    (['tools/train.py', 'configs/no_such_config.py'
      ], 'FileNotFoundError', 'no_such_config.py'),
    (['tools/train.py', CRESNET39, '--resume', 'gone.pth'
      ], 'FileNotFoundError', 'gone.pth'),
    (['tools/test.py', CRESNET39, 'gone.pth'
      ], 'FileNotFoundError', 'gone.pth'),
    ([
        'tools/analysis_tools/eval_codec.py', 'codec.pth', '--images',
        'no_such_dir'
    ], None, f'no images ({", ".join(IMAGE_SUFFIXES)}) under no_such_dir'),
    (['tools/model_converters/publish_model.py', 'gone.pth', 'out'
      ], 'FileNotFoundError', 'gone.pth'),
    (['tools/analysis_tools/get_flops.py', 'gone.py'
      ], 'FileNotFoundError', 'gone.py'),
    (['tools/decompress_dataset.py', 'codec.pth', 'no_such_dir', 'out'
      ], 'FileNotFoundError', 'no_such_dir'),
    ([
        'tools/prepare_data.py', 'photos', '--no-debian', '--out', 'gone_out',
        '--extra', 'no_such_dir'
    ], 'FileNotFoundError', 'no_such_dir'),
])
def test_tools_check_their_arguments_in_one_line(args, error, name):
    proc = run_tool([PYTHON, *args], cwd=REPO, check=False, timeout=120)
    assert proc.returncode != 0
    assert 'Traceback' not in proc.stderr, proc.stderr
    assert name in proc.stderr and (error is None
                                    or f'error: {error}:' in proc.stderr)
