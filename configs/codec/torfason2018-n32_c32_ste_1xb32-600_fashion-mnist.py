# The demo codec's recipe at C=32 (H_t 1.27 bits/symbol, as for ImageNet at
# C=32).
_base_ = ['./torfason2018-n32_c8_ste_1xb32-600_fashion-mnist.py']
model = dict(codec=dict(channels=32), target_entropy=1.27)
