"""The paper's inference paths (what the benchmark times): inputs and the
stem stand-in that runs on already entropy-decoded latents."""
import os.path as osp

import numpy as np
import torch
from helpers import REPO, tiny_codec

from cdi_mm.apis.inference_paths import (PAPER_CONFIGS, LatentStem, crops,
                                         to_tensor)


def test_paper_configs_exist():
    for path in PAPER_CONFIGS.values():
        assert osp.isfile(osp.join(REPO, path)), path


def test_crops_and_tensors():
    photos = [np.full((30, 50, 3), 7, np.uint8), np.zeros((80, 90, 3))]
    out = crops([p.astype(np.uint8) for p in photos], 40, 3)
    assert [o.shape for o in out] == [(40, 40, 3)] * 3
    batch = to_tensor(out)
    assert batch.shape == (3, 3, 40, 40) and batch.dtype == torch.float32
    assert torch.allclose(batch[0], torch.full_like(batch[0], 7 / 255))


def test_latent_stem_passes_latents_or_decodes_them():
    codec = tiny_codec().eval()

    class Stem:
        pass

    stem = Stem()
    stem.codec, stem.output = codec, 'latent'
    y = torch.randn(1, codec.latent_channels, 4, 5)
    assert LatentStem(stem)(y) is y
    stem.output = 'image'
    with torch.no_grad():
        assert torch.equal(LatentStem(stem)(y), codec.synthesis(y))
