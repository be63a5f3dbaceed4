#!/usr/bin/env bash
# The classification results at three operating points on the full Fashion-MNIST
# (60,000 train / 10,000 test images, resized to 64x64), CPU-sized networks:
# cResNet-39/51 on pre-encoded latents vs ResNet-50 on decoded images vs ResNet-50 on the
# original images. Codecs: the demo recipe (600 iterations on the embedded subset) at
# C=8 (the shipped demo codec), 16 and 32. Every command is printed before it runs; the
# top-1 of each run is the last "accuracy/top1" of its log.
#   bash tools/experiments/fashion_mnist_operating_points.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/fashion_mnist_full}
DATA=data/fashion_mnist
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
data_root() {  # the data loaders of a config read $1
    echo --cfg-options train_cfg.val_interval=2000 \
        "train_dataloader.dataset.data_root=$1" "val_dataloader.dataset.data_root=$1" \
        "test_dataloader.dataset.data_root=$1"
}
mkdir -p "$W"
[[ -f $DATA/train.txt ]] || run "$PY" tools/prepare_data.py fashion-mnist --out "$DATA"
declare -A CODEC=(
    [8]=checkpoints/torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_20261126-46d5659d.pth
    [16]=work_dirs/torfason2018-n32_c16_ste_1xb32-600_fashion-mnist/iter_600.pth
    [32]=work_dirs/torfason2018-n32_c32_ste_1xb32-600_fashion-mnist/iter_600.pth)
run "$PY" tools/train.py configs/resnet_decoded/resnet50-w16_rgb_1xb32-2k_fashion-mnist.py \
    --work-dir "$W/resnet50_rgb" $(data_root "$DATA")
for c in 8 16 32; do
    [[ -f ${CODEC[$c]} ]] || run "$PY" tools/train.py \
        "configs/codec/torfason2018-n32_c${c}_ste_1xb32-600_fashion-mnist.py"
    run "$PY" tools/compress_dataset.py "${CODEC[$c]}" "$DATA" "$W/fashion_mnist_c$c" \
        --size 64 64 | tail -3
    for d in 39 51; do
        run "$PY" tools/train.py \
            "configs/cresnet/cresnet${d}-w32_c${c}-preencoded_1xb32-2k_fashion-mnist.py" \
            --work-dir "$W/cresnet${d}_c$c" $(data_root "$W/fashion_mnist_c$c")
    done
    run "$PY" tools/train.py "configs/resnet_decoded/resnet50-w16_c${c}-decoded_1xb32-2k_fashion-mnist.py" \
        --work-dir "$W/resnet50_decoded_c$c" $(data_root "$DATA")
done
