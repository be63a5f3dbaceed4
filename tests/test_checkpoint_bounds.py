"""Checkpoints that would make the reader allocate before refusing them
(issue #33, item 6): a codec record with sizes no weight has, and zip
entries that unpack to much more than the file."""
import zipfile

import pytest
import torch
from helpers import save_codec_checkpoint

from cdi_mm import safe_checkpoint
from cdi_mm.codecs import CodecCheckpointError, codec_from_checkpoint
from cdi_mm.safe_checkpoint import CheckpointReadError, safe_load


@pytest.mark.parametrize('key,value', [('N', 6000), ('channels', 4096),
                                       ('num_centers', 50_000_000)])
def test_huge_recorded_codec_is_refused_before_building(tmp_path, key, value):
    path = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(path, channels=8)
    ckpt = safe_load(path)
    cfg = ckpt['meta']['codecs']['codec']['cfg']
    cfg[key] = value
    with pytest.raises(
            CodecCheckpointError, match=f'{key}={value}, but no weight'):
        codec_from_checkpoint(ckpt, source=path)


def test_zip_bomb_and_oversized_checkpoints(tmp_path, monkeypatch):
    path = str(tmp_path / 'ok.pth')
    torch.save({'state_dict': {'w': torch.zeros(1000)}}, path)
    assert safe_load(path)['state_dict']['w'].shape == (1000, )
    bomb = str(tmp_path / 'bomb.pth')
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(
            bomb, 'w', zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            dst.writestr(entry.filename, src.read(entry))
    with pytest.raises(CheckpointReadError, match='compressed'):
        safe_load(bomb)
    monkeypatch.setattr(safe_checkpoint, 'MAX_CHECKPOINT_BYTES', 1000)
    with pytest.raises(CheckpointReadError, match='MAX_CHECKPOINT_BYTES=1000'):
        safe_load(path)


def test_bad_checkpoints_get_typed_errors_naming_the_file(tmp_path):
    """Issue #33, item 15."""
    path = str(tmp_path / 'codec.pth')
    save_codec_checkpoint(path, channels=8)
    data = open(path, 'rb').read()
    cut = str(tmp_path / 'cut.pth')
    open(cut, 'wb').write(data[:int(len(data) * 0.99)])
    with pytest.raises(CheckpointReadError, match='cut.pth'):
        safe_load(cut)
    good = safe_load(path)
    bad = {
        'list': [1, 2],
        'tensor': torch.zeros(3),
        'record-list': dict(good, meta=dict(codecs=[good['meta']['codecs']])),
        'no-state-dict': dict(meta=good['meta']),
    }
    for name, ckpt in bad.items():
        with pytest.raises(CodecCheckpointError, match=name):
            codec_from_checkpoint(ckpt, source=name)


def test_shape_only_mismatch_is_a_checkpoint_mismatch(tmp_path):
    from mmengine.config import Config

    from cdi_mm.apis import CheckpointMismatchError, init_model
    cfg = Config(
        dict(
            default_scope='mmpretrain',
            model=dict(
                type='ImageClassifier',
                backbone=dict(
                    type='CResNet', depth=39, in_channels=8, base_channels=8),
                neck=dict(type='GlobalAveragePooling'),
                head=dict(
                    type='LinearClsHead', num_classes=3, in_channels=128)),
            test_dataloader=dict(dataset=dict())))
    model = init_model(cfg)
    state = model.state_dict()
    state['head.fc.weight'] = torch.zeros(4, 128)  # 4 classes, not 3
    state['head.fc.bias'] = torch.zeros(4)
    path = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict=state, meta={}), path)
    with pytest.raises(CheckpointMismatchError, match='size mismatch'):
        init_model(cfg, path)
