# The pre-encoded cResNet-51-d segmenter at C=32, the fashion codec of that
# operating point:
#   python tools/compress_dataset.py \
#       work_dirs/torfason2018-n32_c32_ste_1xb32-600_fashion-mnist/iter_*.pth \
#       data/fashion_scenes data/fashion_scenes_c32
_base_ = [
    './deeplabv3_cresnet51-w32-d8_c8-preencoded_1xb8-4k_fashion-scenes-64x64.py'  # noqa: E501
]
data_root = 'data/fashion_scenes_c32'
model = dict(backbone=dict(in_channels=32))
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
