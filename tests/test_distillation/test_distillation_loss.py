"""DistillationKLLoss against the definition of the KL divergence."""
import pytest
import torch

from cdi_mm.models import DistillationKLLoss


def _kl(p_logits, q_logits):
    p = p_logits.softmax(1)
    return (p * (p.log() - q_logits.log_softmax(1))).sum(1).mean()


def test_zero_for_the_teacher_itself():
    logits = torch.randn(4, 10)
    assert DistillationKLLoss()(logits, logits.clone()).abs() < 1e-6
    # shifting logits does not change a distribution
    assert DistillationKLLoss()(logits + 3.0, logits).abs() < 1e-5


@pytest.mark.parametrize('temperature', [1.0, 2.0, 4.0])
def test_matches_the_definition(temperature):
    torch.manual_seed(0)
    student, teacher = torch.randn(5, 7), torch.randn(5, 7)
    expected = temperature**2 * _kl(teacher / temperature,
                                    student / temperature)
    got = DistillationKLLoss(
        temperature=temperature, loss_weight=2.0)(student, teacher)
    torch.testing.assert_close(got, 2.0 * expected)


def test_gradient_moves_student_towards_teacher():
    teacher = torch.tensor([[4.0, 0.0, -4.0]])
    student = torch.zeros(1, 3, requires_grad=True)
    DistillationKLLoss()(student, teacher).backward()
    assert student.grad[0, 0] < 0 < student.grad[0, 2]


def test_refuses_hard_labels_and_bad_temperature():
    with pytest.raises(ValueError, match='teacher logits'):
        DistillationKLLoss()(torch.randn(4, 10), torch.tensor([1, 2, 3, 4]))
    with pytest.raises(ValueError, match='temperature'):
        DistillationKLLoss(temperature=0)
