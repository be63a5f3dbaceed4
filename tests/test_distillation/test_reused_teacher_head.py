"""Feature distillation with the teacher's classifier reused (SimKD): the
teacher's maps written beside its logits, read back by the data set, and a
student trained on them by a real mmengine Runner."""
import os

import numpy as np
import pytest
import torch
from helpers import REPO, two_iteration_config
from mmengine.runner import Runner
from mmpretrain.structures import DataSample

from cdi_mm.apis import compress_dataset, write_distillation_crops
from cdi_mm.datasets import TeacherLabelledDataset
from cdi_mm.models import EfficientNetLiteTeacher, ReusedTeacherClsHead
from cdi_mm.safe_checkpoint import safe_load

SIMKD = os.path.join(
    REPO, 'configs/distill/'
    'cresnet51-w32_c32-preencoded_lite2-simkd_1xb32-4k_activity-photos.py')


@pytest.fixture(scope='module')
def feature_crops(photos, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('simkd') / 'crops')
    write_distillation_crops([photos],
                             out,
                             num_shards=1,
                             shard_size=3,
                             seed=1,
                             feature_size=7)
    return out


@pytest.fixture(scope='module')
def teacher():
    return EfficientNetLiteTeacher('lite2')


def test_crops_carry_the_teachers_maps(feature_crops, teacher, photos,
                                       tmp_path):
    shard = os.path.join(feature_crops, 'shard-00000')
    features = np.load(os.path.join(shard, 'teacher_features.npy'))
    logits = np.load(os.path.join(shard, 'teacher_logits.npy'))
    assert features.shape == (3, 1280, 7, 7) and features.dtype == np.float16
    # the 9x9 map pooled to 7x7 (overlapping bins) still averages to nearly
    # what the classifier reads
    again = teacher.classifier(
        torch.from_numpy(features.astype(np.float32)).mean((2, 3))).numpy()
    assert (again.argmax(1) == logits.argmax(1)).all()
    assert np.corrcoef(again.ravel(), logits.ravel())[0, 1] > 0.98
    data = TeacherLabelledDataset(feature_crops, with_features=True)
    info = data.get_data_info(2)
    np.testing.assert_array_equal(info['gt_feature'],
                                  features[2].astype(np.float32))
    assert 'gt_feature' not in TeacherLabelledDataset(
        feature_crops).get_data_info(2)
    # a folder of other settings is refused; crops without maps are named
    with pytest.raises(ValueError, match='feature_size'):
        write_distillation_crops([photos],
                                 feature_crops,
                                 num_shards=1,
                                 shard_size=3,
                                 seed=1)
    plain = str(tmp_path / 'plain')
    write_distillation_crops([photos],
                             plain,
                             num_shards=1,
                             shard_size=3,
                             seed=1)
    with pytest.raises(FileNotFoundError, match='--feature-size'):
        TeacherLabelledDataset(plain, with_features=True)
    with pytest.raises(ValueError, match='feature_size'):
        write_distillation_crops([photos], plain, feature_size=0)


def _samples(maps, flips):
    samples = []
    for feature, flip in zip(maps, flips):
        sample = DataSample(metainfo=dict(flip=flip))
        sample.set_gt_score(torch.randn(1000))
        sample.set_field(feature, 'gt_feature')
        samples.append(sample)
    return samples


def test_head_reuses_the_frozen_classifier(teacher):
    head = ReusedTeacherClsHead(in_channels=16, topk=(1, 5))
    torch.testing.assert_close(head.classifier.weight,
                               teacher.classifier.weight)
    assert not any(p.requires_grad for p in head.classifier.parameters())
    feats = (torch.rand(2, 16, 7, 7), )
    logits = head(feats)
    assert logits.shape == (2, 1000)
    torch.testing.assert_close(
        logits, head.classifier(head.pre_logits(feats).mean((2, 3))))
    # the feature loss compares the map with the target, mirrored where the
    # input was flipped
    head.eval()
    projected = head.pre_logits(feats).detach()
    target = projected.clone()
    losses = head.loss(feats, _samples(target, [False, False]))
    assert set(losses) == {'loss_kl', 'loss_feature'}
    assert losses['loss_feature'].item() == pytest.approx(0.0, abs=1e-10)
    losses = head.loss(feats, _samples(target.flip(-1), [True, True]))
    assert losses['loss_feature'].item() == pytest.approx(0.0, abs=1e-10)
    losses = head.loss(feats, _samples(target, [True, False]))
    expected = torch.nn.functional.mse_loss(
        projected, torch.stack([target[0].flip(-1), target[1]]))
    assert losses['loss_feature'].item() == pytest.approx(expected.item())
    losses['loss_feature'].backward()
    assert head.classifier.weight.grad is None
    assert head.projector[0].weight.grad is not None


def test_head_names_missing_or_mismatched_maps():
    head = ReusedTeacherClsHead(in_channels=16, num_classes=1000)
    with pytest.raises(ValueError, match='num_classes=10'):
        ReusedTeacherClsHead(in_channels=16, num_classes=10)
    feats = (torch.rand(1, 16, 7, 7), )
    plain = DataSample().set_gt_score(torch.randn(1000))
    with pytest.raises(ValueError, match='with_features=True'):
        head.loss(feats, [plain])
    with pytest.raises(ValueError, match='--feature-size 7'):
        head.loss(feats, _samples(torch.rand(1, 1280, 3, 3), [False]))


def test_simkd_student_trains_with_a_runner(feature_crops, tiny_codecs,
                                            tmp_path):
    latents = str(tmp_path / 'c32')
    compress_dataset(tiny_codecs[32], feature_crops, latents, workers=0)
    runner = Runner.from_cfg(
        two_iteration_config(SIMKD, latents, str(tmp_path / 'work')))
    classifier = runner.model.head.classifier.weight.clone()
    runner.train()
    metrics = runner.val_loop.run()
    assert 0 <= metrics['accuracy/top1'] <= metrics['accuracy/top5'] <= 100
    # both losses were logged; the teacher's classifier did not move
    log = runner.message_hub.get_scalar('train/loss_feature')
    assert np.isfinite(log.current())
    torch.testing.assert_close(runner.model.head.classifier.weight, classifier)
    state = safe_load(str(tmp_path / 'work' / 'iter_2.pth'))['state_dict']
    assert 'head.classifier.weight' in state
