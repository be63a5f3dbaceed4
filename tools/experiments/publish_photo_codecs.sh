#!/usr/bin/env bash
# Publish the newest checkpoint of each photo codec run (tools/experiments/
# train_photo_codecs.sh) into checkpoints/ (weights and plain meta only, hash-named;
# the previous published file of the same config is removed) and evaluate the three
# published files on the held-out photos next to JPEG and WebP (BD-rate, per-image CSV,
# RD plot in OUT). The weights and numbers go into configs/codec/metafile.yml, the one
# place the experiments read the published codecs from (tools/misc/published_codec.py,
# the plans of tools/experiments/run_plan.py).
#   bash tools/experiments/publish_photo_codecs.sh [WORK_DIR] [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/photo_codecs}
OUT=${2:-work_dirs/photo_codecs/zoo_eval}
# RUNS: the runs to (re)publish; the evaluation covers all three published codecs
RUNS=${RUNS:-factorized-prior-s8-n96_c8_eb_1xb8-200k_photos \
             factorized-prior-s8-n96_c16_eb_1xb8-200k_photos \
             factorized-prior-s8-n96_c32_eb_1xb8-200k_photos}
for run in $RUNS; do
    latest=$(ls -v "$W/$run"/iter_*.pth | tail -n 1)
    rm -f checkpoints/"$run"_*.pth
    path=$("$PY" tools/model_converters/publish_model.py "$latest" "checkpoints/$run" \
           --dataset 'photo pool (tools/prepare_data.py photos)' | cut -d' ' -f1)
    echo "$latest -> $path"
done
"$PY" tools/analysis_tools/eval_codec.py checkpoints/factorized-prior-s8-*_photos_*.pth \
    --images data/photos/val --out "$OUT"
"$PY" tools/analysis_tools/codec_learning_curve.py "$W"/factorized-prior-s8-*/ \
    --out "$W/learning_curve"
"$PY" tools/misc/photo_codec_metafile.py "$OUT" "$W/learning_curve.csv"
