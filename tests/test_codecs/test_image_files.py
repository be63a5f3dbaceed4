import numpy as np
import torch

from cdi_mm.codecs import IMAGE_SUFFIXES, to_uint8_hwc


def test_to_uint8_hwc_rounds_clamps_and_moves_channels_last():
    image = torch.tensor([0.0, 0.5, 1.2, -0.1, 0.2,
                          1 / 255 * 0.49]).reshape(3, 1, 2)
    array = to_uint8_hwc(image)
    assert array.dtype == np.uint8 and array.shape == (1, 2, 3)
    assert array.flags['C_CONTIGUOUS']
    # channel c of pixel (0, x) is image[c, 0, x]
    assert array[0, :, 0].tolist() == [0, 128]
    assert array[0, :, 1].tolist() == [255, 0]
    assert array[0, :, 2].tolist() == [51, 0]


def test_image_suffixes_are_lower_case_and_dotted():
    assert all(s.startswith('.') and s == s.lower() for s in IMAGE_SUFFIXES)
    assert {'.jpg', '.png', '.ppm'} <= set(IMAGE_SUFFIXES)
