#!/usr/bin/env bash
# The paper's classification claim on natural photographs, at three operating points:
# on photo objects (tools/prepare_data.py photo-objects), cResNet-39 / -51 on the
# latents of the shipped photo codecs (C=8/16/32, encoded on the fly by the frozen stem)
# vs ResNet-50 on images decoded by the same codecs vs ResNet-50 on the originals; CPU
# widths, the same 4k-iteration schedule for every row, seeds 0 and 1 (SEEDS to change).
# Resumable: a run whose last checkpoint exists is skipped; every command is recorded in
# WORK_DIR/commands.txt; top-1 of each run: the last "accuracy/top1" of its log.
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
C=configs/photo_objects
for seed in $SEEDS; do
    for cfg in "$C/resnet50-w16_rgb_1xb32-4k_photo-objects.py" \
               "$C"/cresnet39-w32_c*_1xb32-4k_photo-objects.py \
               "$C"/cresnet51-w32_c*_1xb32-4k_photo-objects.py \
               "$C"/resnet50-w16_c*-decoded_1xb32-4k_photo-objects.py; do
        out="$W/$(basename "$cfg" .py)_seed$seed"
        [[ -f $out/iter_4000.pth ]] && continue
        resume=(); ls "$out"/iter_*.pth >/dev/null 2>&1 && resume=(--resume)
        run "$PY" tools/train.py "$cfg" --work-dir "$out" "${resume[@]}" \
            --cfg-options randomness.seed=$seed
    done
done
grep -h "accuracy/top1" "$W"/*/*/*.log | tail -n 100 > "$W/top1.txt" || true
