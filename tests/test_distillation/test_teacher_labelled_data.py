"""Teacher-labelled crops: written reproducibly and resumably, encoded by
compress_dataset, read back by TeacherLabelledDataset with the teacher's
logits, and trained on by a real mmengine Runner with the distillation loss."""
import filecmp
import os
import shutil

import numpy as np
import pytest
import torch
from helpers import REPO, load_tool, two_iteration_config
from mmengine.config import Config
from mmengine.runner import Runner
from mmpretrain.datasets.categories import IMAGENET_CATEGORIES
from PIL import Image

from cdi_mm.apis import (compress_dataset, compress_file, decompress_dataset,
                         inference, init_model, load_codec,
                         set_codec_checkpoint, teacher_agreement,
                         write_distillation_crops)
from cdi_mm.apis.distillation_crops import augmented_crop, find_source_images
from cdi_mm.apis.model_conversion import image_model_checkpoint
from cdi_mm.datasets import TeacherLabelledDataset
from cdi_mm.engine import CodecMismatchError

PUBLISH = load_tool('tools/model_converters/publish_model.py')
CRESNET = os.path.join(
    REPO, 'configs/distill/'
    'cresnet51-w32_c32-preencoded_lite2-distill_1xb32-2k_photos.py')
ON_THE_FLY = os.path.join(
    REPO, 'configs/distill/cresnet51-w32_c32_lite2-distill_1xb32-2k_photos.py')


@pytest.fixture(scope='module')
def crops(photos, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('distill') / 'crops')
    report = write_distillation_crops([photos],
                                      out,
                                      num_shards=2,
                                      shard_size=3,
                                      seed=1)
    assert report['written'] == 2 and report['crops'] == 6
    return out


def test_labelled_photos_stay_out(photos):
    names = [os.path.basename(p) for p in find_source_images([photos])]
    assert names == ['a.png', 'b.png', 'c.png', 'd.png']
    with pytest.raises(FileNotFoundError, match='no such photo folder'):
        find_source_images([photos + '/missing'])


def test_augmented_crop_is_reproducible():
    images = [torch.rand(1, 3, 80, 120), torch.rand(1, 3, 100, 90)]
    one = augmented_crop(images, np.random.default_rng([0, 3, 7]))
    two = augmented_crop(images, np.random.default_rng([0, 3, 7]))
    other = augmented_crop(images, np.random.default_rng([0, 3, 8]))
    assert one.shape == (1, 3, 224, 224)
    assert 0 <= one.min() and one.max() <= 1
    assert torch.equal(one, two) and not torch.equal(one, other)


def test_shards_are_complete_and_resumable(crops, photos, tmp_path):
    shard = os.path.join(crops, 'shard-00001')
    logits = np.load(os.path.join(shard, 'teacher_logits.npy'))
    assert logits.shape == (3, 1000) and logits.dtype == np.float16
    with open(os.path.join(shard, 'files.txt')) as f:
        assert f.read().split() == ['000003.png', '000004.png', '000005.png']
    # a rerun writes nothing; a new folder with the same seed writes the
    # same crops (another machine can write other shards)
    again = write_distillation_crops([photos],
                                     crops,
                                     num_shards=2,
                                     shard_size=3,
                                     seed=1)
    assert again['written'] == 0 and again['skipped'] == 2
    other = str(tmp_path / 'other')
    write_distillation_crops([photos],
                             other,
                             num_shards=2,
                             shard_size=3,
                             seed=1,
                             shards=[1])
    assert not os.path.exists(os.path.join(other, 'shard-00000'))
    assert filecmp.cmp(
        os.path.join(shard, '000004.png'),
        os.path.join(other, 'shard-00001', '000004.png'),
        shallow=False)
    with pytest.raises(ValueError, match='seed'):
        write_distillation_crops([photos],
                                 crops,
                                 num_shards=2,
                                 shard_size=3,
                                 seed=2)


def test_view_mode_keeps_every_photo(photos, tmp_path):
    out = str(tmp_path / 'views')
    write_distillation_crops([photos], out, mode='view', shard_size=4)
    data = TeacherLabelledDataset(out)
    names = [os.path.basename(d['img_path']) for d in data]
    assert names == [
        '000000_a.png', '000001_b.png', '000002_c.png', '000003_chelsea.png',
        '000004_d.png'
    ]


def test_teacher_agrees_with_itself_only_on_the_same_pixels(photos, tmp_path):
    """The ceiling of a rate: the teacher on other pixels of the views."""
    from cdi_mm.models.teachers import EfficientNetLiteTeacher
    views = str(tmp_path / 'views')
    write_distillation_crops([photos], views, mode='view', shard_size=4)
    assert teacher_agreement(views, views) == dict(
        top1=100.0, top5=100.0, count=5)
    # every view grey: the teacher's answer on grey is its only top-1
    grey = tmp_path / 'grey'
    shutil.copytree(views, grey)
    for info in TeacherLabelledDataset(views):
        path = grey / os.path.relpath(info['img_path'], views)
        Image.new('RGB', (224, 224), (128, 128, 128)).save(path)
    teacher = EfficientNetLiteTeacher('lite2')
    with torch.no_grad():
        on_grey = teacher(
            teacher.to_teacher_input(
                torch.full((1, 3, 224, 224), 128, dtype=torch.uint8)))
    labels = [d['gt_label'] for d in TeacherLabelledDataset(views)]
    expected = [on_grey.argmax().item() == label for label in labels]
    top5 = set(on_grey.topk(5).indices[0].tolist())
    result = teacher_agreement(views, str(grey))
    assert result['top1'] == pytest.approx(100 * np.mean(expected))
    assert result['top5'] == pytest.approx(
        100 * np.mean([label in top5 for label in labels]))
    os.remove(grey / 'shard-00000' / '000000_a.png')
    with pytest.raises(FileNotFoundError, match='000000_a.png'):
        teacher_agreement(views, str(grey))


def test_dataset_reads_logits_and_refuses_broken_shards(crops, tmp_path):
    data = TeacherLabelledDataset(crops)
    assert len(data) == 6 and len(data.metainfo['classes']) == 1000
    info = data.get_data_info(4)
    logits = np.load(os.path.join(crops, 'shard-00001',
                                  'teacher_logits.npy'))[1]
    assert info['gt_score'].dtype == np.float32
    np.testing.assert_array_equal(info['gt_score'], logits.astype(np.float32))
    assert info['gt_label'] == int(logits.argmax())
    assert len(TeacherLabelledDataset(crops, max_shards=1)) == 3
    broken = str(tmp_path / 'broken')
    shutil.copytree(crops, broken)
    os.remove(os.path.join(broken, 'shard-00000', '000001.png'))
    with pytest.raises(FileNotFoundError, match='000001.png'):
        TeacherLabelledDataset(broken)
    np.save(
        os.path.join(broken, 'shard-00000', 'teacher_logits.npy'),
        np.zeros((2, 1000), np.float16))
    with pytest.raises(ValueError, match='shape'):
        TeacherLabelledDataset(broken)
    with pytest.raises(FileNotFoundError, match='no complete shard'):
        TeacherLabelledDataset(str(tmp_path))


@pytest.fixture(scope='module')
def trained_student(crops, tiny_codecs, tmp_path_factory):
    """The pre-encoded cResNet-51 student trained 2 iterations by a real
    Runner on the crops encoded by a tiny C=32 codec: ``(latent root, decoded
    root, checkpoint, validation metrics)``."""
    tmp_path = tmp_path_factory.mktemp('student')
    latents, decoded = str(tmp_path / 'c32'), str(tmp_path / 'c32-decoded')
    compress_dataset(tiny_codecs[32], crops, latents, workers=0)
    decompress_dataset(tiny_codecs[32], latents, decoded)
    runner = Runner.from_cfg(
        two_iteration_config(CRESNET, latents, str(tmp_path / 'work')))
    runner.train()
    metrics = runner.val_loop.run()
    return latents, decoded, str(tmp_path / 'work' / 'iter_2.pth'), metrics


def test_latent_student_trains_on_encoded_crops(trained_student):
    latents, decoded, _, metrics = trained_student
    # the logits and the rewritten lists travel with the latents
    with open(os.path.join(latents, 'shard-00000', 'files.txt')) as f:
        assert f.read().split()[0] == '000000.cdi'
    assert len(TeacherLabelledDataset(latents)) == 6
    assert os.path.isfile(os.path.join(decoded, 'shard-00001', '000005.png'))
    assert 0 <= metrics['accuracy/top1'] <= metrics['accuracy/top5'] <= 100


def test_image_model_matches_its_preencoded_twin(trained_student, tiny_codecs,
                                                 tmp_path):
    latents, _, ckpt, _ = trained_student
    onfly = Config.fromfile(ON_THE_FLY)
    set_codec_checkpoint(onfly, tiny_codecs[32])
    converted = str(tmp_path / 'onfly.pth')
    torch.save(image_model_checkpoint(onfly, ckpt), converted)
    image_model = init_model(onfly, converted)
    latent_model = init_model(CRESNET, ckpt)
    photo = str(tmp_path / 'crop.png')
    Image.fromarray(
        np.random.default_rng(5).integers(
            0, 255, (224, 224, 3), dtype=np.uint8)).save(photo)
    cdi = str(tmp_path / 'crop.cdi')
    with open(cdi, 'wb') as f:
        f.write(compress_file(load_codec(tiny_codecs[32]), photo))
    # a .cdi needs the manifest naming its codec, as compress_dataset writes
    shutil.copy(os.path.join(latents, 'cdi_codec.json'), tmp_path)
    from_image = inference(image_model, photo, topk=5)
    from_latent = inference(latent_model, cdi, topk=5)
    assert from_image['label_ids'] == from_latent['label_ids']
    np.testing.assert_allclose(
        from_image['scores'], from_latent['scores'], rtol=1e-4, atol=1e-6)
    assert all(name in IMAGENET_CATEGORIES for name in from_image['labels'])
    # published in float16, the codec inside stays float32 (same latents)
    half = PUBLISH.publish(converted, str(tmp_path / 'zoo'), half=True)
    state = torch.load(half, weights_only=True)['state_dict']
    assert {
        str(v.dtype)
        for k, v in state.items()
        if v.is_floating_point() and not k.startswith('backbone.stem.codec.')
    } == {'torch.float16'}
    assert {
        str(v.dtype)
        for k, v in state.items()
        if k.startswith('backbone.stem.codec.') and v.is_floating_point()
    } == {'torch.float32'}
    from_half = inference(init_model(onfly, half), photo, topk=5)
    assert from_half['label_ids'][0] == from_image['label_ids'][0]
    np.testing.assert_allclose(
        from_half['scores'], from_image['scores'], rtol=2e-2, atol=1e-3)
    # the wrong codec is refused
    wrong = Config.fromfile(ON_THE_FLY)
    set_codec_checkpoint(wrong, tiny_codecs[32].replace('c32', 'c8'))
    with pytest.raises((CodecMismatchError, ValueError)):
        image_model_checkpoint(wrong, ckpt)
