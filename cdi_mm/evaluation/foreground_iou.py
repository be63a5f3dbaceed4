"""Foreground IoU: does a segmenter find the objects, whatever their class?"""
import torch
from mmengine.evaluator import BaseMetric

from cdi_mm.registry import METRICS

__all__ = ['ForegroundIoUMetric']


@METRICS.register_module()
class ForegroundIoUMetric(BaseMetric):
    """IoU of the predicted foreground (any class but background) with the true
    one, accumulated over the whole set (intersection and union summed, then
    divided), so large and small objects weigh by their pixels as in mmseg's
    ``IoUMetric``. Use it next to ``IoUMetric`` in ``val_evaluator`` /
    ``test_evaluator``.

    Args:
        background_index (int): The background class. Defaults to 0.
        ignore_index (int): Label of pixels to ignore. Defaults to 255.
        prefix (str, optional): Metric name prefix.
    """

    def __init__(self,
                 background_index=0,
                 ignore_index=255,
                 prefix=None,
                 **kwargs):
        super().__init__(prefix=prefix, **kwargs)
        self.background_index = background_index
        self.ignore_index = ignore_index

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            pred = sample['pred_sem_seg']['data'].squeeze(0)
            label = sample['gt_sem_seg']['data'].squeeze(0).to(pred.device)
            valid = label != self.ignore_index
            pred_fg = (pred != self.background_index) & valid
            true_fg = (label != self.background_index) & valid
            self.results.append(
                torch.stack([(pred_fg & true_fg).sum(),
                             (pred_fg | true_fg).sum()]).cpu())

    def compute_metrics(self, results):
        intersection, union = torch.stack(results).sum(0).double()
        return {
            'fgIoU':
            float(100 * intersection / union) if union else float('nan')
        }
