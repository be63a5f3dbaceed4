# C=8, ~0.0983 bpp = 0.786 bits/symbol.
_base_ = ['./torfason2018_c32_ste_1xb30-300k_in1k.py']
model = dict(codec=dict(channels=8), target_entropy=0.786)
