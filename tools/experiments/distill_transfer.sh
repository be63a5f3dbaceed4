#!/usr/bin/env bash
# Does distillation transfer? (issue #36, part 5) cResNet-51 on the C=32 photo latents of
# the photo objects (objects never seen in distillation), fine-tuned from the distilled
# student's backbone (the *-lite2-distilled_* config) vs. trained from scratch: same
# schedule, seed and ITERS (default 2000; the cosine schedule is stretched to ITERS),
# validated on held-out objects.
#   bash tools/experiments/distill_transfer.sh [WORK_DIR] [STUDENT_CHECKPOINT]
# STUDENT_CHECKPOINT: a pre-encoded distilled cResNet-51 (C=32) other than the zoo's
# (the one the config names), e.g.
# work_dirs/distill_photos/cresnet51-..._seed0/iter_2000.pth. Resumable like
# distill_photos.sh; commands in WORK_DIR/commands.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/distill_transfer}
STUDENT=${2:-}
ITERS=${ITERS:-2000}
SEED=${SEED:-0}
PARALLEL=${PARALLEL:-1}
CODEC=$("$PY" tools/misc/published_codec.py 32)
CFG=configs/photo_objects/cresnet51-w32_c32-preencoded_1xb32-2k_photo-objects.py
DISTILLED=configs/photo_objects/cresnet51-w32_c32-preencoded_lite2-distilled_1xb32-2k_photo-objects.py
mkdir -p "$W"
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
[[ -f data/photo_objects/manifest.json ]] || run "$PY" tools/prepare_data.py photo-objects
run "$PY" tools/compress_dataset.py "$CODEC" data/photo_objects data/photo_objects_c32 \
    --batch-size 16 --workers 2 2>&1 | tail -n 3
train() {  # CONFIG OUT [cfg-options ...]
    local cfg=$1 out=$2; shift 2
    if [[ ! -f $out/iter_$ITERS.pth ]]; then
        local resume=(); ls "$out"/iter_*.pth >/dev/null 2>&1 && resume=(--resume)
        OMP_NUM_THREADS=1 run "$PY" tools/train.py "$cfg" --work-dir "$out" "${resume[@]}" \
            --cfg-options randomness.seed="$SEED" train_cfg.max_iters="$ITERS" \
            train_cfg.val_interval="$((ITERS / 4))" param_scheduler.T_max="$ITERS" \
            default_hooks.checkpoint.interval="$((ITERS / 4))" "$@" > "$out.log" 2>&1
    fi
}
scratch=("$CFG" "$W/scratch_${ITERS}it_seed$SEED")
distilled=("$DISTILLED" "$W/distilled_${ITERS}it_seed$SEED")
[[ -z $STUDENT ]] || distilled+=("model.backbone.init_cfg.checkpoint=$STUDENT")
if [[ $PARALLEL == 1 ]]; then
    train "${scratch[@]}" & pid=$!
    train "${distilled[@]}"
    wait "$pid"
else
    train "${scratch[@]}"
    train "${distilled[@]}"
fi
for out in "${scratch[1]}" "${distilled[1]}"; do
    echo "$out: $(grep -oE 'accuracy/top1: [0-9.]+' "$out.log" | tr '\n' ' ')"
done
