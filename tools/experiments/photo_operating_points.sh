#!/usr/bin/env bash
# The paper's claims on natural photographs, at three operating points (the shipped
# photo codecs, C=8/16/32, encoded on the fly by the frozen stem); CPU widths, the same
# 4k-iteration schedule for every row of a comparison, seeds 0 and 1 (SEEDS to change):
# * photo objects (tools/prepare_data.py photo-objects): cResNet-39 / -51 on latents vs
#   ResNet-50 on decoded images vs ResNet-50 on the originals;
# * photo scenes (photo-scenes): DeepLab-v2 ASPP on cResNet-51-d (latents) vs ResNet-50-d
#   (decoded, original), each backbone initialised from the matching photo-object
#   classifier of the same seed (as the paper initialises from ImageNet classifiers).
# Resumable: a run whose last checkpoint exists is skipped; every command is recorded in
# WORK_DIR/commands.txt; results: the last "accuracy/top1" / "mIoU" of each log.
#   bash tools/experiments/photo_operating_points.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/photo_operating_points}
SEEDS=${SEEDS:-0 1}
mkdir -p "$W"
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
[[ -f data/photos/manifest.json ]] || run "$PY" tools/prepare_data.py photos
[[ -f data/photo_objects/manifest.json ]] || run "$PY" tools/prepare_data.py photo-objects
[[ -f data/photo_scenes/manifest.json ]] || run "$PY" tools/prepare_data.py photo-scenes
train() {  # CONFIG OUT [cfg-options ...]: skip when done, resume when started
    local cfg=$1 out=$2; shift 2
    [[ -f $out/iter_4000.pth ]] && return 0
    local resume=(); ls "$out"/iter_*.pth >/dev/null 2>&1 && resume=(--resume)
    run "$PY" tools/train.py "$cfg" --work-dir "$out" "${resume[@]}" --cfg-options "$@"
}
C=configs/photo_objects
S=configs/photo_scenes
for seed in $SEEDS; do
    for cfg in "$C/resnet50-w16_rgb_1xb32-4k_photo-objects.py" \
               "$C"/cresnet39-w32_c*_1xb32-4k_photo-objects.py \
               "$C"/cresnet51-w32_c*_1xb32-4k_photo-objects.py \
               "$C"/resnet50-w16_c*-decoded_1xb32-4k_photo-objects.py; do
        train "$cfg" "$W/$(basename "$cfg" .py)_seed$seed" randomness.seed=$seed
    done
    # segmentation: scene config -> the classifier whose backbone initialises it
    declare -A INIT=([deeplabv2_r50-w16-d8_rgb]=resnet50-w16_rgb)
    for c in 8 16 32; do
        INIT[deeplabv2_cresnet51-w32-d8_c$c]=cresnet51-w32_c$c
        INIT[deeplabv2_r50-w16-d8_c$c-decoded]=resnet50-w16_c$c-decoded
    done
    for scene in "${!INIT[@]}"; do
        classifier="$W/${INIT[$scene]}_1xb32-4k_photo-objects_seed$seed/iter_4000.pth"
        train "$S/${scene}_1xb8-4k_photo-scenes.py" "$W/${scene}_photo-scenes_seed$seed" \
            randomness.seed=$seed model.backbone.init_cfg.type=Pretrained \
            "model.backbone.init_cfg.checkpoint=$classifier" \
            model.backbone.init_cfg.prefix=backbone.
    done
done
for log in "$W"/*/*/*.log; do
    echo "$log: $(grep -hoE '(accuracy/top1|mIoU): [0-9.]+' "$log" | tail -n 1)"
done > "$W/results.txt"
