# C=16, ~0.330 bpp = 1.32 bits/symbol.
_base_ = ['./torfason2018_c32_ste_1xb30-300k_in1k.py']
model = dict(codec=dict(channels=16), target_entropy=1.32)
