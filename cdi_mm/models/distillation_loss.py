"""The distillation loss: the student's softened distribution against the
teacher's (Hinton et al., "Distilling the Knowledge in a Neural Network",
2015)."""
import torch.nn.functional as F
from torch import nn

from cdi_mm.registry import MODELS

__all__ = ['DistillationKLLoss']


@MODELS.register_module()
class DistillationKLLoss(nn.Module):
    """``T^2 * KL(softmax(t / T) || softmax(s / T))``, averaged over the batch.

    A classification head's loss module: mmpretrain's ``ClsHead`` passes the
    samples' ``gt_score`` as the target, here the teacher's logits (as
    :class:`TeacherLabelledDataset` provides them). ``T = 1`` is what Beyer et
    al. (CVPR 2022) found best for consistent (same-crop) distillation.

    Args:
        temperature (float): Softening temperature ``T`` > 0. Defaults to 1.
        loss_weight (float): Multiplier. Defaults to 1.
    """

    def __init__(self, temperature=1.0, loss_weight=1.0):
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight

    def forward(self, cls_score, teacher_logits, avg_factor=None, **kwargs):
        """Args:
            cls_score (Tensor): ``(N, K)`` student logits.
            teacher_logits (Tensor): ``(N, K)`` teacher logits.
            avg_factor (int, optional): Divisor instead of ``N``.

        Raises:
            ValueError: The target is not a ``(N, K)`` score matrix (e.g. the
                samples carry hard labels only).
        """
        if teacher_logits.shape != cls_score.shape:
            raise ValueError(
                f'DistillationKLLoss needs teacher logits of shape '
                f'{tuple(cls_score.shape)} as the target (gt_score), got '
                f'{tuple(teacher_logits.shape)}; use a teacher-labelled data '
                'set')
        t = self.temperature
        log_student = F.log_softmax(cls_score / t, dim=1)
        log_teacher = F.log_softmax(teacher_logits.float() / t, dim=1)
        kl = (log_teacher.exp() * (log_teacher - log_student)).sum()
        count = cls_score.shape[0] if avg_factor is None else avg_factor
        return self.loss_weight * t * t * kl / count
