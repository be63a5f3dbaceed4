# ResNet-71 (conv4_x = 13 blocks) on C=8-decoded images, the match of
# cResNet-72.
_base_ = ['./resnet50_c8-decoded_8xb32_in1k.py']
model = dict(backbone=dict(backbone=dict(depth=71)))
