#!/usr/bin/env bash
# Does distillation transfer? (issue #36, part 5) cResNet-51 on the C=32 photo latents of
# the photo objects (objects never seen in distillation), fine-tuned from the distilled
# student's backbone vs. trained from scratch: same config, seed and ITERS (default
# 2000; the cosine schedule is stretched to ITERS), validated on held-out objects.
#   bash tools/experiments/distill_transfer.sh STUDENT_CHECKPOINT [WORK_DIR]
# STUDENT_CHECKPOINT: the pre-encoded distilled cResNet-51 (C=32), e.g. the zoo file or
# work_dirs/distill_photos/cresnet51-..._seed0/iter_2000.pth. Resumable like
# distill_photos.sh; commands in WORK_DIR/commands.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
STUDENT=${1:?usage: distill_transfer.sh STUDENT_CHECKPOINT [WORK_DIR]}
W=${2:-work_dirs/distill_transfer}
ITERS=${ITERS:-2000}
SEED=${SEED:-0}
PARALLEL=${PARALLEL:-1}
CODEC=$("$PY" tools/misc/published_codec.py 32)
CFG=configs/photo_objects/cresnet51-w32_c32-preencoded_1xb32-2k_photo-objects.py
mkdir -p "$W"
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
[[ -f data/photo_objects/manifest.json ]] || run "$PY" tools/prepare_data.py photo-objects
run "$PY" tools/compress_dataset.py "$CODEC" data/photo_objects data/photo_objects_c32 \
    --batch-size 16 --workers 2 2>&1 | tail -n 3
train() {  # OUT [cfg-options ...]
    local out=$1; shift
    if [[ ! -f $out/iter_$ITERS.pth ]]; then
        local resume=(); ls "$out"/iter_*.pth >/dev/null 2>&1 && resume=(--resume)
        OMP_NUM_THREADS=1 run "$PY" tools/train.py "$CFG" --work-dir "$out" "${resume[@]}" \
            --cfg-options randomness.seed="$SEED" train_cfg.max_iters="$ITERS" \
            train_cfg.val_interval="$((ITERS / 4))" param_scheduler.T_max="$ITERS" \
            default_hooks.checkpoint.interval="$((ITERS / 4))" "$@" > "$out.log" 2>&1
    fi
}
scratch=("$W/scratch_${ITERS}it_seed$SEED")
distilled=("$W/distilled_${ITERS}it_seed$SEED" model.backbone.init_cfg.type=Pretrained
           "model.backbone.init_cfg.checkpoint=$STUDENT" model.backbone.init_cfg.prefix=backbone.)
if [[ $PARALLEL == 1 ]]; then
    train "${scratch[@]}" & pid=$!
    train "${distilled[@]}"
    wait "$pid"
else
    train "${scratch[@]}"
    train "${distilled[@]}"
fi
for out in "${scratch[0]}" "${distilled[0]}"; do
    echo "$out: $(grep -oE 'accuracy/top1: [0-9.]+' "$out.log" | tr '\n' ' ')"
done
