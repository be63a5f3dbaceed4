_base_ = ['./cresnet51_c32_8xb32_in1k.py']
model = dict(backbone=dict(backbone=dict(depth=72)))
