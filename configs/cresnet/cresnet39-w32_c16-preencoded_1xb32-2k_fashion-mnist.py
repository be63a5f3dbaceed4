# cResNet-39 (widths / 4) on pre-encoded C=16 latents of the fashion codec at
# C=16:
#   python tools/train.py \
#       configs/codec/torfason2018-n32_c16_ste_1xb32-600_fashion-mnist.py
#   python tools/compress_dataset.py \
#       work_dirs/torfason2018-n32_c16_ste_1xb32-600_fashion-mnist/iter_*.pth \
#       cdi_mm/datasets/embedded/fashion_mnist work_dirs/fashion_mnist_c16 \
#       --size 64 64
_base_ = ['./cresnet39-w32_c8-preencoded_1xb32-2k_fashion-mnist.py']
latent_root = 'work_dirs/fashion_mnist_c16'
model = dict(backbone=dict(in_channels=16))
train_dataloader = dict(dataset=dict(data_root=latent_root))
val_dataloader = dict(dataset=dict(data_root=latent_root))
test_dataloader = val_dataloader
