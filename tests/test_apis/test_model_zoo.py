"""The model zoo: metafiles and README agree, published checkpoints load
weights-only, re-evaluate to recorded numbers, are refused when their hash does
not match their name, and load by URL the same way."""
import functools
import glob
import hashlib
import http.server
import os
import os.path as osp
import shutil
import threading

import numpy as np
import pytest
import torch
import yaml
from helpers import PYTHON, REPO, load_tool, run_tool
from mmpretrain.datasets.categories import IMAGENET_CATEGORIES
from PIL import Image

from cdi_mm.apis import (compress_file, inference, init_model, load_codec,
                         read_image)
from cdi_mm.codecs import decompress_image
from cdi_mm.codecs.weights import (WeightsHashError, download_checked,
                                   verify_name_hash)
from cdi_mm.evaluation import psnr

FASHION = osp.join(REPO, 'cdi_mm', 'datasets', 'embedded', 'fashion_mnist')


def zoo_models():
    with open(osp.join(REPO, 'model-index.yml')) as f:
        imports = yaml.safe_load(f)['Import']
    for metafile in imports:
        with open(osp.join(REPO, metafile)) as f:
            yield from yaml.safe_load(f)['Models']


def shipped(name):
    model = next(m for m in zoo_models() if m['Name'] == name)
    return osp.join(REPO, model['Config']), osp.join(REPO,
                                                     model['Weights']), model


def test_readme_tables_match_metafiles():
    run_tool([PYTHON, 'tools/misc/model_zoo_tables.py', '--check'], cwd=REPO)


def test_zoo_table_keeps_every_result_of_a_model():
    """Two results of one metric on two data sets are two rows, never one
    number hidden behind the other; other results share a row."""
    tables = load_tool('tools/misc/model_zoo_tables.py')
    models = [
        dict(
            Name='student',
            Config='a.py',
            Results=[
                dict(Dataset='near', Metrics={'Top 1': 21.8}),
                dict(Dataset='far', Metrics={'Top 1': 0.5}),
                dict(Dataset='far subset', Metrics={'Top 5': 3.0})
            ]),
        dict(
            Name='other',
            Config='b.py',
            Results=[dict(Dataset='near', Metrics={'Top 1': 9.0})])
    ]
    lines = tables._table('T', models).splitlines()
    assert lines[2] == ('| model | config | bpp | data set | Top 1 | Top 5 | '
                        'GFLOPs | params (M) | weights | command |')
    assert [line.split(' | ')[3:6]
            for line in lines[4:]] == [['near', '21.8', ''],
                                       ['far; far subset', '0.5', '3.0'],
                                       ['near', '9.0', '']]
    single = tables._table('T', models[1:]).splitlines()
    assert 'data set' not in single[2] and len(single) == 5


def test_every_metafile_entry_points_at_real_files():
    for model in zoo_models():
        assert osp.exists(osp.join(REPO, model['Config'])), model['Config']
        if model.get('Weights'):
            path = osp.join(REPO, model['Weights'])
            verify_name_hash(path)
            checkpoint = torch.load(
                path, map_location='cpu', weights_only=True)
            assert set(checkpoint) == {'meta', 'state_dict'}


def test_shipped_weights_fit_the_budget():
    total = sum(
        osp.getsize(p)
        for p in glob.glob(osp.join(REPO, 'checkpoints', '*.pth')))
    # the demo models (18 MB), the three photo codecs (7 MB), the seven
    # photo-object classifiers (float16, 24 MB), the seven photo-scene
    # segmenters (float16, 29 MB) and the distilled student twice (pre-encoded
    # and with the codec inside, float16, 21 MB: the teacher's classifier
    # comes with it)
    assert 0 < total <= 95e6


def _slice(n=100):
    """The first ``n`` test images (in test.txt order) and their labels."""
    with open(osp.join(FASHION, 'test.txt')) as f:
        lines = [line.split() for line in f.read().splitlines()[:n]]
    return [(osp.join(FASHION, path), int(label)) for path, label in lines]


def test_published_codec_reevaluates_to_its_metafile_numbers():
    _, weights, model = shipped(
        'torfason2018-n32_c8_ste_1xb32-600_fashion-mnist')
    codec = load_codec(weights)
    bpps, psnrs = [], []
    for path, _ in _slice():
        data = compress_file(codec, path, (64, 64))
        decoded = decompress_image(codec, data, reconstruct=True)
        bpps.append(8 * len(data) / (64 * 64))
        psnrs.append(psnr(decoded.image, read_image(path, (64, 64))[0]))
    metrics = model['Results'][0]['Metrics']
    assert np.mean(bpps) == pytest.approx(model['Metadata']['bpp'], rel=0.05)
    assert np.mean(psnrs) == pytest.approx(metrics['PSNR'], abs=0.5)


def test_published_classifier_reevaluates_on_a_slice(tmp_path):
    config, weights, model = shipped(
        'resnet50-w16_c8-decoded_1xb32-2k_fashion-mnist')
    classifier = init_model(config, weights)
    correct = [
        inference(classifier, path, topk=1)['label_ids'][0] == label
        for path, label in _slice()
    ]
    top1 = model['Results'][0]['Metrics']['Top 1 Accuracy']
    assert 100 * np.mean(correct) == pytest.approx(
        top1, abs=6)  # 100 of 1,000 images


def test_published_photo_classifier_reevaluates_on_its_subset():
    """The C=32 photo-object cResNet (float16 weights) on the 48 committed
    .cdi files of its val set gives exactly the metafile's subset number."""
    config, weights, model = shipped(
        'cresnet51-w32_c32-preencoded_1xb32-2k_photo-objects')
    assert torch.load(
        weights, weights_only=True
    )['state_dict']['head.fc.weight'].dtype == torch.float16
    classifier = init_model(config, weights)
    files = sorted(
        glob.glob(
            osp.join(REPO, 'tests', 'data', 'photo_objects_c32_val48', '*',
                     '*.cdi')))
    correct = [
        inference(classifier, path,
                  topk=1)['labels'][0] == osp.basename(osp.dirname(path))
        for path in files
    ]
    subset = model['Results'][2]['Metrics']['Top 1 Accuracy (48-file subset)']
    assert len(files) == 48
    assert round(100 * np.mean(correct), 2) == subset


def test_published_photo_segmenter_reevaluates_on_its_subset():
    """The C=32 photo-scene segmenter (float16 weights) on the 16 committed
    val_seen scenes (.cdi latents + masks) gives exactly the metafile's subset
    mIoU and pixel accuracy (mmseg's IoUMetric: areas summed over the scenes,
    classes absent from prediction and truth left out of the mean)."""
    config, weights, model = shipped(
        'deeplabv2_cresnet51-w32-d8_c32-preencoded_1xb8-2k_photo-scenes')
    segmenter = init_model(config, weights)
    files = sorted(
        glob.glob(
            osp.join(REPO, 'tests', 'data', 'photo_scenes_c32_val_seen16',
                     'img_dir', 'val_seen', '*.cdi')))
    assert len(files) == 16
    classes = len(segmenter.dataset_meta['classes'])
    intersect, union = np.zeros(classes), np.zeros(classes)
    correct = total = 0
    for path in files:
        pred = inference(segmenter, path)['mask']
        truth = np.array(
            Image.open(
                path.replace('img_dir', 'ann_dir').replace('.cdi', '.png')))
        assert pred.shape == truth.shape == (256, 256)
        for c in range(classes):
            intersect[c] += ((pred == c) & (truth == c)).sum()
            union[c] += ((pred == c) | (truth == c)).sum()
        correct += (pred == truth).sum()
        total += truth.size
    present = union > 0
    subset = model['Results'][2]['Metrics']
    assert round(100 * np.mean(intersect[present] / union[present]),
                 2) == subset['mIoU (16-scene subset)']
    assert round(100 * correct / total, 2) == subset['aAcc (16-scene subset)']


def test_distilled_student_names_imagenet_classes_for_a_photo_and_its_cdi():
    """The zoo's distilled cResNet-51 (issue #36; SimKD: the teacher's
    classifier reused) is published twice: on the
    fly (the C=32 photo codec inside, in float32; the student in float16) for
    photos and pre-encoded for ``.cdi`` files. On a held-out photo
    (scikit-image's chelsea, never distillation data) ``tools/infer.py``
    prints five ImageNet class names, and the pre-encoded student on the
    photo's ``.cdi`` names the same five."""
    views = osp.join(REPO, 'tests', 'data', 'distill_views')
    config, weights, _ = shipped(
        'cresnet51-w32_c32_lite2-simkd_1xb32-4k_activity-photos')
    proc = run_tool([
        PYTHON, 'tools/infer.py', config, weights,
        osp.join(views, 'chelsea.png')
    ],
                    cwd=REPO)
    printed = [
        line.split(None, 1) for line in proc.stdout.strip().splitlines()
    ]
    assert len(printed) == 5
    assert all(name in IMAGENET_CATEGORIES for _, name in printed)
    scores = [float(score) for score, _ in printed]
    assert scores == sorted(scores, reverse=True)
    config, weights, _ = shipped(
        'cresnet51-w32_c32-preencoded_lite2-simkd_1xb32-4k_activity-photos')
    from_cdi = inference(
        init_model(config, weights), osp.join(views, 'chelsea.cdi'), topk=5)
    assert from_cdi['labels'] == [name for _, name in printed]
    np.testing.assert_allclose(from_cdi['scores'], scores, atol=2e-4)


def test_tampered_checkpoint_is_refused(tmp_path):
    _, weights, _ = shipped('torfason2018-n32_c8_ste_1xb32-600_fashion-mnist')
    stem = osp.basename(weights).rsplit('-', 1)[0]
    forged = tmp_path / f'{stem}-00000000.pth'
    shutil.copy(weights, forged)
    with pytest.raises(
            WeightsHashError, match='does not match the hash 00000000'):
        load_codec(str(forged))


def test_load_by_url_is_hash_checked(tmp_path, monkeypatch):
    config, weights, _ = shipped(
        'resnet50-w16_c8-decoded_1xb32-2k_fashion-mnist')
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=osp.dirname(weights))
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f'http://127.0.0.1:{server.server_port}/{osp.basename(weights)}'
        by_url = init_model(config, url)
        local = init_model(config, weights)
        for (key, a), b in zip(by_url.state_dict().items(),
                               local.state_dict().values()):
            assert torch.equal(a, b), key
        # the download cache is keyed by the whole URL, not by the file name
        other = f'http://localhost:{server.server_port}/{osp.basename(weights)}'  # noqa: E501
        assert download_checked(url) != download_checked(other)
        assert osp.basename(download_checked(other)) == osp.basename(weights)
        # a download that fails its hash is not kept: the next call fetches
        # again (and succeeds once the server has the right file)
        served = tmp_path / 'served'
        served.mkdir()
        forged = served / osp.basename(weights)
        forged.write_bytes(b'not the weights')
        server.RequestHandlerClass = functools.partial(
            http.server.SimpleHTTPRequestHandler, directory=str(served))
        again = url + '?v=2'
        with pytest.raises(WeightsHashError, match='does not match'):
            download_checked(again)
        folder = osp.join(
            torch.hub.get_dir(), 'checkpoints',
            'cdi_mm-' + hashlib.sha256(again.encode()).hexdigest()[:16])
        assert not osp.exists(osp.join(folder, forged.name))
        shutil.copy(weights, forged)
        assert osp.isfile(download_checked(again))
    finally:
        server.shutdown()


PHOTO_CODECS = 'factorized-prior-s8 photo codecs'


def test_shipped_photo_codecs_load_weights_only_and_round_trip_a_photo():
    """The three photo operating points: plain weights-only files of at most 8
    MB that rebuild their codec (fingerprint checked) and code a photograph to
    the exact latent of the analysis transform and back."""
    from skimage import data

    from cdi_mm.codecs import compress_images, pad_to_stride
    photos = [
        m for m in zoo_models() if m.get('In Collection') == PHOTO_CODECS
    ]
    assert sorted(m['Metadata']['Latent channels']
                  for m in photos) == [8, 16, 32]
    image = torch.from_numpy(data.astronaut()[100:228,
                                              150:278]).permute(2, 0, 1)
    image = image.float()[None] / 255
    for model in photos:
        weights = osp.join(REPO, model['Weights'])
        assert osp.getsize(weights) <= 8e6
        checkpoint = torch.load(weights, map_location='cpu', weights_only=True)
        assert set(checkpoint) == {'meta', 'state_dict'}
        codec = load_codec(weights)
        assert codec.latent_channels == model['Metadata']['Latent channels']
        cdi = compress_images(codec, image)[0]
        decoded = decompress_image(codec, cdi, reconstruct=True)
        with torch.no_grad():
            expected = codec.encode_latent(pad_to_stride(image,
                                                         codec.stride))[0]
        assert torch.equal(decoded.latent, expected)
        assert decoded.latent.shape == (codec.latent_channels, 16, 16)
        assert psnr(decoded.image, image[0]) > 20


def test_every_config_folder_has_a_readme_and_an_indexed_metafile():
    with open(osp.join(REPO, 'model-index.yml')) as f:
        indexed = set(yaml.safe_load(f)['Import'])
    folders = [
        d for d in sorted(os.listdir(osp.join(REPO, 'configs')))
        if osp.isdir(osp.join(REPO, 'configs', d)) and d != '_base_'
    ]
    for folder in folders:
        assert osp.isfile(osp.join(REPO, 'configs', folder,
                                   'README.md')), folder
        assert f'configs/{folder}/metafile.yml' in indexed, folder
