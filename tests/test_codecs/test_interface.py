"""The declared codec interface, and the codec layer's independence from
OpenMMLab."""
import subprocess
import sys

import pytest
import torch.nn as nn

from cdi_mm.codecs import (FactorizedPriorStride8, LatentCodec, Torfason2018,
                           ZooCodec, build_codec, missing_codec_members)
from cdi_mm.codecs.interface import LATENT_CODEC_MEMBERS


@pytest.mark.parametrize(
    'codec', [
        Torfason2018(channels=8, N=8, num_groups=1, blocks_per_group=1),
        FactorizedPriorStride8(channels=8, N=8),
        ZooCodec('bmshj2018-factorized', 1),
    ],
    ids=lambda c: type(c).__name__)
def test_every_codec_satisfies_the_interface(codec):
    assert isinstance(codec, LatentCodec)
    assert missing_codec_members(codec) == []
    assert build_codec(codec) is codec


def test_the_member_list_is_the_protocols():
    assert LATENT_CODEC_MEMBERS == ('arch', 'stride', 'pad_multiple',
                                    'latent_channels', 'num_streams',
                                    'quantizer_name', 'encode_latent',
                                    'synthesis', 'compress',
                                    'decompress_latent', 'update', 'aux_loss',
                                    'coding_state')
    assert missing_codec_members(object()) == list(LATENT_CODEC_MEMBERS)


def test_a_module_that_is_not_a_codec_is_refused_naming_what_it_lacks():
    assert not isinstance(nn.Conv2d(3, 8, 3), LatentCodec)
    with pytest.raises(
            TypeError, match='lacks arch, .*coding_state.*compressai-zoo'):
        build_codec(dict(type='bmshj2018-factorized', N=8, M=8))
    with pytest.raises(TypeError, match='Conv2d is not a cdi_mm codec'):
        build_codec(nn.Conv2d(3, 8, 3))


def test_import_cdi_mm_codecs_imports_no_openmmlab_package():
    code = ('import sys, cdi_mm.codecs, cdi_mm.codecs.weights\n'
            "mm = sorted({m.split('.')[0] for m in sys.modules} & "
            "{'mmengine', 'mmcv', 'mmpretrain', 'mmseg'})\n"
            'print(mm)\nsys.exit(1 if mm else 0)\n')
    proc = subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]


def test_a_codec_checkpoint_dict_rebuilds_the_codec():
    from cdi_mm.codecs import (CodecCheckpointError, codec_checkpoint_dict,
                               codec_fingerprint, codec_from_checkpoint)
    codec = build_codec(dict(type='factorized-prior-s8', channels=4, N=8))
    ckpt = codec_checkpoint_dict(codec)
    assert set(ckpt['meta']['codecs']) == {'codec'}
    assert all(k.startswith('codec.') for k in ckpt['state_dict'])
    assert codec_fingerprint(
        codec_from_checkpoint(ckpt)) == codec_fingerprint(codec)
    with pytest.raises(CodecCheckpointError, match='no build_cfg'):
        codec_checkpoint_dict(FactorizedPriorStride8(channels=4, N=8))
