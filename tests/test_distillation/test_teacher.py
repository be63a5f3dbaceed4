"""The frozen EfficientNet-Lite2 teacher: known photos, frozen, checked
inputs."""
import pytest
import torch
from mmpretrain.datasets.categories import IMAGENET_CATEGORIES

from cdi_mm.models import EfficientNetLiteTeacher

# scikit-image photos and the ImageNet classes (mmpretrain order) that name
# what they show; the teacher's top-5 must hold one of them
KNOWN = {
    'chelsea': (281, 282, 285),  # tabby, tiger cat, Egyptian cat
    'coffee': (967, 968, 504),  # espresso, cup, coffee mug
    'rocket': (657, 744, 812),  # missile, projectile, space shuttle
}


@pytest.fixture(scope='module')
def teacher():
    return EfficientNetLiteTeacher('lite2')


@pytest.mark.parametrize('name', sorted(KNOWN))
def test_teacher_names_known_photos(teacher, name):
    from skimage import data
    logits = teacher.classify_photo(getattr(data, name)())
    assert logits.shape == (len(IMAGENET_CATEGORIES), )
    top5 = logits.topk(5).indices.tolist()
    assert set(top5) & set(KNOWN[name]), [IMAGENET_CATEGORIES[i] for i in top5]


def test_teacher_is_frozen(teacher):
    teacher.train()
    assert not teacher.training and not teacher.net.training
    assert not any(p.requires_grad for p in teacher.parameters())
    x = torch.rand(2, 3, 260, 260) * 255
    torch.testing.assert_close(teacher(x), teacher(x))


def test_teacher_features_are_what_its_classifier_reads(teacher):
    x = torch.rand(2, 3, 260, 260) * 255
    logits, features = teacher(x, return_features=True)
    # 260 px at stride 32: a 9x9 map of the head's 1,280 channels (ReLU6)
    assert features.shape == (2, teacher.feature_channels, 9, 9) == (2, 1280,
                                                                     9, 9)
    assert 0 <= features.min() and features.max() <= 6
    torch.testing.assert_close(logits, teacher(x))
    torch.testing.assert_close(logits, teacher.net((x - 127.0) / 128.0))
    torch.testing.assert_close(
        teacher.classifier(features.mean((2, 3))), logits)


def test_teacher_input_checks(teacher):
    with pytest.raises(ValueError, match='260x260'):
        teacher(torch.rand(1, 3, 224, 224))
    with pytest.raises(ValueError, match='RGB'):
        teacher(torch.rand(3, 260, 260))
    assert teacher.to_teacher_input(torch.rand(2, 3, 224, 224) *
                                    255).shape == (2, 3, 260, 260)
    with pytest.raises(ValueError, match='unknown teacher variant'):
        EfficientNetLiteTeacher('lite9')
