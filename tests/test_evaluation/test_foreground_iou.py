"""Foreground IoU against a hand-computed case (ignore pixels excluded)."""
import pytest
import torch

from cdi_mm.evaluation import ForegroundIoUMetric


def _sample(pred, label):
    return dict(
        pred_sem_seg=dict(data=torch.tensor(pred)[None]),
        gt_sem_seg=dict(data=torch.tensor(label)[None]))


def test_foreground_iou_by_hand():
    metric = ForegroundIoUMetric()
    # image 1: true fg 2 px, predicted fg 3 px (a wrong class still counts as
    # found), 2 px in both, union 3; the 255 pixel is ignored though predicted
    # as fg
    metric.process(None,
                   [_sample([[1, 2, 0], [0, 3, 5]], [[2, 0, 0], [0, 1, 255]])])
    # image 2: nothing to find, one false positive
    metric.process(None, [_sample([[0, 4]], [[0, 0]])])
    # intersection 2; union 3 (image 1) + 1 (image 2) = 4
    assert metric.evaluate(2) == {'fgIoU': pytest.approx(50.0)}


def test_all_background_is_nan():
    metric = ForegroundIoUMetric()
    metric.process(None, [_sample([[0, 0]], [[0, 0]])])
    assert torch.isnan(torch.tensor(metric.evaluate(1)['fgIoU']))
