# The demo codec's recipe at C=16 (H_t 1.32 bits/symbol, as for ImageNet at
# C=16).
_base_ = ['./torfason2018-n32_c8_ste_1xb32-600_fashion-mnist.py']
model = dict(codec=dict(channels=16), target_entropy=1.32)
