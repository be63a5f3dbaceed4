#!/usr/bin/env bash
# The three photo codecs (stride-8 GDN, factorized prior) at the paper's operating points
# C=8 / 16 / 32 (0.098 / 0.33 / 0.635 bpp), trained on the natural-photo pool for as long
# as you let them (C=32 warm-started from the published C=16 codec): each run resumes from the newest checkpoint in its work dir and stops at
# ITERS (default: the config's 200k). Runs go in parallel, one torch thread each (nice'd),
# and the learning curve (held-out bpp / PSNR / MS-SSIM against iterations and CPU hours)
# is written to WORK_DIR/learning_curve.{csv,png} at the end. Commands are recorded in
# WORK_DIR/commands.txt. A run with no checkpoint in its work dir continues from
# checkpoints/in_progress/<config name>.pth (weights + optimizer, committed between
# sessions) when that exists.
#   bash tools/experiments/train_photo_codecs.sh [WORK_DIR] [ITERS]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/photo_codecs}
ITERS=${2:-}
mkdir -p "$W"
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
[[ -f data/photos/manifest.json ]] || run "$PY" tools/prepare_data.py photos --out data/photos
CONFIGS=(configs/codec/factorized-prior-s8-n96_c8_eb_1xb8-200k_photos.py
         configs/codec/factorized-prior-s8-n96_c16_eb_1xb8-200k_photos.py
         configs/codec/factorized-prior-s8-n96_c32_eb_1xb8-200k_photos.py)
# C=32 starts from the trained C=16 codec, widened (its config's load_from)
WIDE=work_dirs/factorized-prior-s8-n96_c32_from_c16.pth
[[ -f $WIDE ]] || run "$PY" tools/model_converters/widen_codec.py \
    "$(ls checkpoints/factorized-prior-s8-n96_c16_eb_1xb8-200k_photos_*.pth | tail -n 1)" \
    "${CONFIGS[2]}" "$WIDE"
pids=()
for cfg in "${CONFIGS[@]}"; do
    name=$(basename "$cfg" .py)
    args=(tools/train.py "$cfg" --work-dir "$W/$name")
    if ls "$W/$name"/iter_*.pth >/dev/null 2>&1; then
        args+=(--resume)
    elif [[ -f checkpoints/in_progress/$name.pth ]]; then
        args+=(--resume "checkpoints/in_progress/$name.pth")
    fi
    [[ -n $ITERS ]] && args+=(--cfg-options "train_cfg.max_iters=$ITERS")
    echo "+ OMP_NUM_THREADS=1 nice $PY ${args[*]}" >> "$W/commands.txt"
    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nice "$PY" "${args[@]}" > "$W/$name.log" 2>&1 &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
run "$PY" tools/analysis_tools/codec_learning_curve.py "$W"/*/ --out "$W/learning_curve"
exit $status
