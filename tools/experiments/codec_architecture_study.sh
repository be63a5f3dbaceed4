#!/usr/bin/env bash
# Codec architectures at equal budget on the photo pool, C=16 (0.33 bpp): the paper's
# torfason2018 (BatchNorm + ReLU, learned centres), the same without BatchNorm, and the
# stride-8 GDN factorized prior, all N=64, 128 px crops, batch 8, Adam 3e-4, one data
# worker, ITERS iterations (default 1200) with held-out evaluation (real .cdi bytes) at
# thirds. Runs go in parallel, one torch thread each; the learning curve against
# iterations and CPU hours goes to WORK_DIR/learning_curve.{csv,png}.
#   bash tools/experiments/codec_architecture_study.sh [WORK_DIR] [ITERS]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/codec_architecture_study}
ITERS=${2:-1200}
mkdir -p "$W"
[[ -f data/photos/manifest.json ]] || "$PY" tools/prepare_data.py photos --out data/photos
COMMON=(train_cfg.max_iters=$ITERS train_cfg.val_interval=$((ITERS / 3))
        train_dataloader.num_workers=1 default_hooks.checkpoint.interval=$((ITERS / 3)))
declare -A RUNS=(
  [torfason2018-bn]="configs/codec/torfason2018-n64_c16_ste_1xb8-2k_photos.py"
  [torfason2018-nobn]="configs/codec/torfason2018-nobn-n64_c16_ste_1xb8-2k_photos.py"
  [factorized-prior-s8]="configs/codec/factorized-prior-s8-n96_c16_eb_1xb8-200k_photos.py"
)
declare -A EXTRA=(
  [torfason2018-bn]="train_dataloader.dataset.pipeline.1.crop_size=128"
  [torfason2018-nobn]="train_dataloader.dataset.pipeline.1.crop_size=128"
  [factorized-prior-s8]="model.codec.N=64"
)
pids=()
for name in "${!RUNS[@]}"; do
    args=(tools/train.py "${RUNS[$name]}" --work-dir "$W/$name"
          --cfg-options "${COMMON[@]}" ${EXTRA[$name]})
    ls "$W/$name"/iter_*.pth >/dev/null 2>&1 && args+=(--resume)
    echo "+ OMP_NUM_THREADS=1 nice $PY ${args[*]}" | tee -a "$W/commands.txt"
    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nice "$PY" "${args[@]}" > "$W/$name.log" 2>&1 &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
"$PY" tools/analysis_tools/codec_learning_curve.py "$W"/*/ --out "$W/learning_curve"
exit $status
