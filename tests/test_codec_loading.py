"""One door for codecs: every part of cdi_mm loads a codec through
``cdi_mm.codec_loading.load_codec``."""
import glob
import os.path as osp
import re

import pytest
from helpers import REPO, save_codec_checkpoint

from cdi_mm.codec_loading import CodecCheckpointError, load_codec
from cdi_mm.codecs import codec_fingerprint


def test_only_the_door_rebuilds_codecs_from_checkpoints():
    package = osp.join(REPO, 'cdi_mm')
    callers = sorted(
        osp.relpath(path, REPO)
        for path in glob.glob(osp.join(package, '**', '*.py'), recursive=True)
        if re.search(r'codec_from_checkpoint\(',
                     open(path).read()) and '/codecs/' not in path)
    assert callers == ['cdi_mm/codec_loading.py']


def test_load_codec_gives_the_saved_codec_or_a_clear_error(tmp_path):
    path = str(tmp_path / 'codec.pth')
    codec = save_codec_checkpoint(path)
    loaded = load_codec(path)
    assert codec_fingerprint(loaded) == codec_fingerprint(codec)
    assert not loaded.training
    with pytest.raises(CodecCheckpointError, match='nope'):
        load_codec(path, name='nope')
