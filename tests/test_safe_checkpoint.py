import os
import os.path as osp
import pathlib

import pytest
import torch
from helpers import TINY_CLS
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.runner import Runner, load_checkpoint

from cdi_mm.codecs.weights import WeightsHashError
from cdi_mm.safe_checkpoint import UnsafeCheckpointError, safe_load


def _runner(work_dir, **overrides):
    cfg = Config.fromfile(TINY_CLS)
    cfg.work_dir = str(work_dir)
    cfg.default_hooks.logger.interval = 10
    cfg.merge_from_dict(overrides)
    cfg.experiment_name = f'{osp.basename(str(work_dir))}_{len(os.listdir(work_dir))}'  # noqa: E501
    return Runner.from_cfg(cfg)


def _weights(runner):
    return {k: v.clone() for k, v in runner.model.state_dict().items()}


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('ckpt')
    runner = _runner(work_dir)
    runner.train()
    return work_dir, _weights(runner)


def test_runner_checkpoint_loads_weights_only(trained):
    work_dir, _ = trained
    ckpt = safe_load(str(work_dir / 'iter_2.pth'))
    assert ckpt['meta']['iter'] == 2
    history = ckpt['message_hub']['log_scalars']['train/loss']
    assert isinstance(history, HistoryBuffer)
    assert history.min() <= history.mean() <= history.max()
    # the plain torch.load of this torch version refuses it: what the plugin
    # fixes
    with pytest.raises(
            Exception, match='[Ww]eights only load failed|Unsupported global'):
        torch.load(str(work_dir / 'iter_2.pth'), weights_only=True)


def test_resume_continues_with_optimizer_and_scheduler(trained, tmp_path):
    work_dir, final_weights = trained
    saved = safe_load(str(work_dir / 'iter_2.pth'))
    runner = _runner(
        tmp_path, resume=True, load_from=str(work_dir / 'iter_2.pth'))
    runner._train_loop = runner.build_train_loop(runner._train_loop)
    runner.call_hook('before_run')
    runner.load_or_resume()
    assert runner.iter == 2
    optim = runner.optim_wrapper.optimizer.state_dict()
    key = next(iter(saved['optimizer']['state']))
    assert torch.equal(optim['state'][key]['momentum_buffer'],
                       saved['optimizer']['state'][key]['momentum_buffer'])
    assert runner.param_schedulers[0].last_step == saved['param_schedulers'][
        0]['last_step']
    assert runner.optim_wrapper.get_lr()['lr'][0] == pytest.approx(0.025)

    # a fresh runner resuming from iter 2 ends exactly where the uninterrupted
    # run ended
    resumed = _runner(
        tmp_path, resume=True, load_from=str(work_dir / 'iter_2.pth'))
    resumed.train()
    assert resumed.iter == 4
    for name, value in _weights(resumed).items():
        torch.testing.assert_close(value, final_weights[name], msg=name)


def test_load_from_loads_weights(trained, tmp_path):
    work_dir, final_weights = trained
    runner = _runner(tmp_path, load_from=str(work_dir / 'iter_4.pth'))
    runner.call_hook('before_run')
    runner.load_or_resume()
    assert runner.iter == 0
    for name, value in _weights(runner).items():
        torch.testing.assert_close(value, final_weights[name], msg=name)


class _RunsCode:

    def __reduce__(self):
        return (os.system, ('echo pwned', ))


class _GetattrOther:

    def __reduce__(self):
        return (getattr, (pathlib.Path, 'unlink'))


@pytest.mark.parametrize('payload', [_RunsCode(), _GetattrOther()])
def test_unsafe_checkpoint_refused(tmp_path, payload):
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {'w': torch.zeros(1)}, 'meta': payload}, path)
    with pytest.raises(
            UnsafeCheckpointError, match='refusing to load checkpoint'):
        load_checkpoint(torch.nn.Linear(1, 1), path)


def test_getattr_allows_only_history_buffer_statistics(tmp_path):

    class _GetattrHistory:

        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))

    path = str(tmp_path / 'evil.pth')
    torch.save({'meta': _GetattrHistory()}, path)
    with pytest.raises(UnsafeCheckpointError, match="getattr.*'__init__'"):
        safe_load(path)


def test_hash_in_name_is_checked(trained, tmp_path):
    work_dir, _ = trained
    data = (work_dir / 'iter_4.pth').read_bytes()
    bad = tmp_path / 'tiny_20261125-deadbeef.pth'
    bad.write_bytes(data)
    with pytest.raises(
            WeightsHashError, match='does not match the hash deadbeef'):
        load_checkpoint(torch.nn.Linear(1, 1), str(bad))
