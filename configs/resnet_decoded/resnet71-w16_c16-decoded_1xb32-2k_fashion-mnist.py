# ResNet-71 (conv4_x = 13 blocks, widths / 4) on C=16-decoded images,
# cResNet-72's match.
_base_ = ['./resnet50-w16_c16-decoded_1xb32-2k_fashion-mnist.py']
model = dict(backbone=dict(backbone=dict(type='PaperResNet', depth=71)))
