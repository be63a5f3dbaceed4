#!/usr/bin/env bash
# The segmentation results at three operating points on the fashion-scenes set (400 train
# / 100 val 128x128 scenes, 64x64 crops), CPU-sized networks, 4,000 iterations each:
# cResNet-51-d on pre-encoded latents vs ResNet-50-d on decoded images vs ResNet-50-d on
# the original images. Codecs: the fashion codecs at C=8 (the shipped demo codec), 16 and
# 32. Every command is printed before it runs; the mIoU of each run is the last "mIoU" of
# its log (validation on the 100 val scenes at iteration 4,000). A run whose final
# checkpoint exists is skipped, so the script resumes where it stopped.
#   bash tools/experiments/fashion_scenes_operating_points.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/fashion_scenes_ops}
DATA=data/fashion_scenes
CFG=configs/deeplabv3
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
train() {  # CONFIG NAME: train into $W/NAME unless it has finished
    [[ -f $W/$2/iter_4000.pth ]] || run "$PY" tools/train.py "$CFG/$1" --work-dir "$W/$2"
}
mkdir -p "$W"
[[ -d $DATA/img_dir ]] || run "$PY" tools/prepare_data.py fashion-scenes --out "$DATA"
declare -A CODEC=(
    [8]=checkpoints/torfason2018-n32_c8_ste_1xb32-600_fashion-mnist_20261126-46d5659d.pth
    [16]=work_dirs/torfason2018-n32_c16_ste_1xb32-600_fashion-mnist/iter_600.pth
    [32]=work_dirs/torfason2018-n32_c32_ste_1xb32-600_fashion-mnist/iter_600.pth)
for c in 8 16 32; do
    [[ -f ${CODEC[$c]} ]] || run "$PY" tools/train.py \
        "configs/codec/torfason2018-n32_c${c}_ste_1xb32-600_fashion-mnist.py"
    run "$PY" tools/compress_dataset.py "${CODEC[$c]}" "$DATA" "data/fashion_scenes_c$c" \
        | tail -3
    train "deeplabv3_cresnet51-w32-d8_c${c}-preencoded_1xb8-4k_fashion-scenes-64x64.py" \
        "cresnet51_c$c"
    train "deeplabv3_r50-w16-d8_c${c}-decoded_1xb8-4k_fashion-scenes-64x64.py" \
        "resnet50_decoded_c$c"
done
train deeplabv3_r50-w16-d8_rgb_1xb8-4k_fashion-scenes-64x64.py resnet50_rgb
for d in "$W"/*/; do
    echo "$(basename "$d"): $(grep -h 'mIoU:' "$d"/*/*.log | tail -1 | grep -o 'aAcc.*mAcc: [0-9.]*')"
done | tee "$W/results.txt"
