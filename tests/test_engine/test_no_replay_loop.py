import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

import cdi_mm.openmmlab  # noqa: F401  (registers the loop)


class CountingDataset(Dataset):
    """Constant vectors; counts in the class how many items were loaded (the
    Runner deep-copies the dataset it is given)."""

    loads = 0

    def __len__(self):
        return 16

    def __getitem__(self, index):
        type(self).loads += 1
        return dict(inputs=torch.full((4, ), float(index)))


class TinyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)

    def forward(self, inputs, data_samples=None, mode='loss'):
        return dict(loss=self.linear(inputs).pow(2).mean())


def make_runner(work_dir, dataset, max_iters, resume):
    return Runner(
        model=TinyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=dataset,
            batch_size=2,
            num_workers=0,
            sampler=dict(type='InfiniteSampler', shuffle=True),
            collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(type='NoReplayIterBasedTrainLoop', max_iters=max_iters),
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=3),
            logger=dict(type='LoggerHook', interval=1)),
        log_processor=dict(by_epoch=False),
        resume=resume,
        default_scope='mmpretrain')


def test_resume_loads_only_new_batches(tmp_path):
    CountingDataset.loads = 0
    runner = make_runner(
        tmp_path, CountingDataset(), max_iters=3, resume=False)
    runner.train()
    assert CountingDataset.loads == 3 * 2
    weight = runner.model.linear.weight.detach().clone()

    CountingDataset.loads = 0
    resumed = make_runner(
        tmp_path, CountingDataset(), max_iters=5, resume=True)
    resumed.train()
    # the stock IterBasedTrainLoop would load (3 + 2) * 2 = 10 items
    assert CountingDataset.loads == 2 * 2
    assert resumed.iter == 5
    assert not torch.equal(resumed.model.linear.weight,
                           weight)  # trained on from iter 3
