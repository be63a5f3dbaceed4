"""A student head that reuses the teacher's classifier (SimKD).

Chen et al., "Knowledge Distillation with the Reused Teacher Classifier"
(CVPR 2022): instead of learning its own classifier from the teacher's soft
labels, the student learns to produce the teacher's final feature map (a
projector after its backbone, trained with a mean squared error) and classifies
with the teacher's frozen classifier. A feature map carries far more of the
teacher's knowledge per crop than its 1,000 logits, which matters when the
unlabelled photos are few.
"""
import torch
import torch.nn.functional as F
from mmpretrain.models.heads import ClsHead
from torch import nn

from cdi_mm.registry import MODELS

__all__ = ['ReusedTeacherClsHead']


def _conv_bn(in_channels, out_channels, kernel_size, activation):
    return [
        nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            padding=kernel_size // 2,
            bias=False),
        nn.BatchNorm2d(out_channels), activation
    ]


@MODELS.register_module()
class ReusedTeacherClsHead(ClsHead):
    """Projector to the teacher's feature map + the teacher's frozen
    classifier.

    The projector is SimKD's: 1x1, 3x3 and 1x1 convolutions with batch norm,
    through a bottleneck of ``C_t / reduction`` channels to the teacher's
    ``C_t``; it ends in ReLU6 like the EfficientNet-Lite map it imitates. The
    logits are the teacher's ``nn.Linear`` applied to the projected map's
    spatial mean. Training adds two losses: ``loss_kl`` (``loss`` module, by
    default :class:`DistillationKLLoss` on the samples' ``gt_score``) and
    ``loss_feature`` (mean squared error to the samples' ``gt_feature``,
    mirrored for samples whose input was flipped horizontally). The
    classifier is copied from the teacher at construction and never trains;
    it is saved in checkpoints like any other weight.

    Args:
        in_channels (int): Channels of the backbone's last feature map.
        num_classes (int, optional): Checked against the teacher's classes
            (1,000), so a config can turn a ``LinearClsHead`` of the
            teacher's classes into this head by changing its type.
        teacher (str): EfficientNet-Lite variant whose classifier is reused
            (the one that wrote the ``gt_feature`` targets).
        reduction (int): Bottleneck factor of the projector. Defaults to 4.
        feature_loss_weight (float): Weight of ``loss_feature``. Defaults
            to 1.
        loss (dict): The logit loss. Defaults to ``DistillationKLLoss``.
        **kwargs: ``topk``, ``cal_acc``, ``init_cfg`` of ``ClsHead``.
    """

    def __init__(self,
                 in_channels,
                 num_classes=None,
                 teacher='lite2',
                 reduction=4,
                 feature_loss_weight=1.0,
                 loss=dict(type='DistillationKLLoss'),
                 **kwargs):
        super().__init__(loss=loss, **kwargs)
        from cdi_mm.models.teachers import EfficientNetLiteTeacher
        source = EfficientNetLiteTeacher(teacher).classifier
        if num_classes not in (None, source.out_features):
            raise ValueError(f'the {teacher} teacher\'s classifier names '
                             f'{source.out_features} classes, not num_classes='
                             f'{num_classes}')
        channels = source.in_features
        mid = channels // reduction
        self.feature_loss_weight = feature_loss_weight
        self.projector = nn.Sequential(
            *_conv_bn(in_channels, mid, 1, nn.ReLU(inplace=True)),
            *_conv_bn(mid, mid, 3, nn.ReLU(inplace=True)),
            *_conv_bn(mid, channels, 1, nn.ReLU6(inplace=True)))
        self.classifier = nn.Linear(channels, source.out_features)
        self.classifier.load_state_dict(source.state_dict())
        self.classifier.requires_grad_(False)

    @property
    def num_classes(self):
        """The teacher's classes (1,000)."""
        return self.classifier.out_features

    def pre_logits(self, feats):
        """The projected map ``(N, C_t, h, w)`` of the last backbone
        output."""
        return self.projector(feats[-1])

    def forward(self, feats):
        """Logits: the teacher's classifier on the projected map's mean."""
        return self.classifier(self.pre_logits(feats).mean((2, 3)))

    def loss(self, feats, data_samples, **kwargs):
        """The logit loss and the feature loss.

        Raises:
            ValueError: The samples carry no ``gt_feature`` (pack it with
                ``PackInputs(algorithm_keys=('gt_feature', ))`` from a
                ``TeacherLabelledDataset(with_features=True)``), or one of
                another shape than the projected map.
        """
        projected = self.pre_logits(feats)
        losses = self._get_loss(
            self.classifier(projected.mean((2, 3))), data_samples, **kwargs)
        # logged apart: mmengine's 'loss' is the sum of both
        losses['loss_kl'] = losses.pop('loss')
        if 'gt_feature' not in data_samples[0]:
            raise ValueError(
                'ReusedTeacherClsHead needs the teacher\'s feature maps: use '
                'TeacherLabelledDataset(with_features=True) and '
                "PackInputs(algorithm_keys=('gt_feature', ))")
        maps = [torch.as_tensor(s.gt_feature) for s in data_samples]
        target = torch.stack([
            m.flip(-1) if s.metainfo.get('flip') else m
            for m, s in zip(maps, data_samples)
        ]).to(projected)
        if target.shape != projected.shape:
            raise ValueError(
                f'teacher feature maps of shape {tuple(target.shape[1:])} '
                'do not match the projected student map '
                f'{tuple(projected.shape[1:])}; write the crops with '
                f'--feature-size {projected.shape[-1]}')
        losses['loss_feature'] = self.feature_loss_weight * F.mse_loss(
            projected, target)
        return losses
