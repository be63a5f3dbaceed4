#!/usr/bin/env bash
# ImageNet knowledge without ImageNet (issue #36): the paper's comparison at ImageNet
# granularity, distilled from EfficientNet-Lite2 on unlabelled photos.
# * the teacher labels SHARDS x 256 strongly augmented crops of the photo pool's
#   training photos (ImageNet-labelled photos left out) and one centre view of every
#   held-out image (photo objects val, photo pool val: never distillation data);
# * each photo codec in CS (default 32) encodes both once (.cdi latents) and decodes
#   them once (PNG reconstructions for the decoded-image twin);
# * cResNet-51 on the latents and ResNet-50 on the decoded crops (CPU widths), same
#   crops, teacher, 2k-iteration schedule and seed, trained side by side with one
#   torch thread each (PARALLEL=0: one after the other);
# * both are tested on the held-out views: accuracy = agreement with the teacher's
#   top-1 (top-1 / top-5).
# Other data and schedules: SOURCES (photo folders), DATA (the crops' folder name under
# data/), MIN_SCALE, CUTMIX (CutMix probability), HELDOUT (held-out photo folders) and
# HELDOUT_DATA (their views' folder name), SCHEDULE (the configs' suffix, e.g.
# 4k_object-photos); TWIN=0 trains the cResNet alone; THREADS (default 1) torch
# threads per run; METHOD=simkd (default distill) stores the teacher's 7x7 feature
# maps with the crops and trains the *-simkd_* students (the teacher's classifier
# reused, SimKD). The runs of issue #36:
#   SOURCES=data/object_photos DATA=object_distill SHARDS=80 MIN_SCALE=0.25 \
#       SCHEDULE=4k_object-photos bash tools/experiments/distill_photos.sh
#   SOURCES="data/activity_photos/train data/photos/train" DATA=activity_distill \
#       SHARDS=40 MIN_SCALE=0.25 CUTMIX=0.1 HELDOUT_DATA=distill_heldout_activity \
#       HELDOUT="data/activity_photos/val data/photos/val" TWIN=0 \
#       SCHEDULE=4k_activity-photos bash tools/experiments/distill_photos.sh
# Resumable: written shards, encoded files, finished runs are kept; a started run
# resumes. A finished run carried between sessions as
# checkpoints/in_progress/<run dir name>.pth counts as done. Every command is recorded
# in WORK_DIR/commands.txt.
#   bash tools/experiments/distill_photos.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/distill_photos}
SHARDS=${SHARDS:-60}
CS=${CS:-32}
SEED=${SEED:-0}
PARALLEL=${PARALLEL:-1}
SOURCES=${SOURCES:-data/photos/train}
DATA=${DATA:-distill}
MIN_SCALE=${MIN_SCALE:-0.08}
CUTMIX=${CUTMIX:-0.5}
HELDOUT=${HELDOUT:-data/photo_objects/val data/photos/val}
HELDOUT_DATA=${HELDOUT_DATA:-distill_heldout}
SCHEDULE=${SCHEDULE:-2k_photos}
TWIN=${TWIN:-1}
THREADS=${THREADS:-1}
METHOD=${METHOD:-distill}
FEATURES=()
[[ $METHOD != simkd ]] || FEATURES=(--feature-size 7)
ITERS=$((${SCHEDULE%%k_*} * 1000))
# the published photo codecs (configs/codec/metafile.yml)
declare -A CODEC=()
for c in $CS; do CODEC[$c]=$("$PY" tools/misc/published_codec.py "$c"); done
mkdir -p "$W"
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
[[ -f data/photos/manifest.json ]] || run "$PY" tools/prepare_data.py photos
[[ -f data/photo_objects/manifest.json ]] || run "$PY" tools/prepare_data.py photo-objects
for built in object_photos activity_photos more_photos; do
    [[ "$SOURCES $HELDOUT" != *data/$built* || -f data/$built/manifest.json ]] ||
        run "$PY" tools/prepare_data.py "${built/_/-}"
done
# shellcheck disable=SC2086
run "$PY" tools/write_distillation_crops.py $SOURCES --out "data/$DATA" \
    --shards "$SHARDS" --min-scale "$MIN_SCALE" --cutmix-prob "$CUTMIX" "${FEATURES[@]}" \
    2>&1 | tail -n 1
# shellcheck disable=SC2086
run "$PY" tools/write_distillation_crops.py $HELDOUT \
    --out "data/$HELDOUT_DATA" --mode view 2>&1 | tail -n 1
train() {  # CONFIG OUT DATA HELDOUT IN_CHANNELS: skip when done, resume when
    # started, then test
    local cfg=$1 out=$2 data=$3 heldout=$4 channels=$5 carried
    carried=checkpoints/in_progress/$(basename "$out").pth
    [[ -f $out/iter_$ITERS.pth || ! -f $carried ]] || { mkdir -p "$out"; cp "$carried" "$out/iter_$ITERS.pth"; }
    if [[ ! -f $out/iter_$ITERS.pth ]]; then
        local resume=(); ls "$out"/iter_*.pth >/dev/null 2>&1 && resume=(--resume)
        OMP_NUM_THREADS=$THREADS run "$PY" tools/train.py "$cfg" --work-dir "$out" "${resume[@]}" \
            --cfg-options randomness.seed="$SEED" model.backbone.in_channels="$channels" \
            train_dataloader.dataset.data_root="$data" \
            val_dataloader.dataset.data_root="$heldout" \
            test_dataloader.dataset.data_root="$heldout" > "$out.log" 2>&1
    fi
    ls "$out"/test/*/*.json >/dev/null 2>&1 || OMP_NUM_THREADS=$THREADS run "$PY" tools/test.py \
        "$cfg" "$out/iter_$ITERS.pth" --work-dir "$out/test" \
        --cfg-options model.backbone.in_channels="$channels" \
        test_dataloader.dataset.data_root="$heldout" 2>&1 | tail -n 1
}
for c in $CS; do
    hash=$(basename "${CODEC[$c]}" .pth | grep -oE '[0-9a-f]{8}$')
    for set in "$DATA" "$HELDOUT_DATA"; do
        run "$PY" tools/compress_dataset.py "${CODEC[$c]}" "data/$set" "data/${set}_c$c" \
            --batch-size 16 --workers 2 2>&1 | tail -n 3
        [[ $TWIN == 0 ]] || run "$PY" tools/decompress_dataset.py "${CODEC[$c]}" "data/${set}_c$c" \
            "data/${set}_c$c-decoded" 2>&1 | tail -n 1
    done
    latent=configs/distill/cresnet51-w32_c32-preencoded_lite2-${METHOD}_1xb32-$SCHEDULE.py
    decoded=configs/distill/resnet50-w16_c32-decoded_lite2-${METHOD}_1xb32-$SCHEDULE.py
    a=("$latent" "$W/$(basename "${latent/c32/c$c}" .py)_${hash}_seed$SEED"
       "data/${DATA}_c$c" "data/${HELDOUT_DATA}_c$c" "$c")
    b=("$decoded" "$W/$(basename "${decoded/c32/c$c}" .py)_${hash}_seed$SEED"
       "data/${DATA}_c$c-decoded" "data/${HELDOUT_DATA}_c$c-decoded" 3)
    if [[ $TWIN == 0 ]]; then
        train "${a[@]}"
    elif [[ $PARALLEL == 1 ]]; then
        train "${a[@]}" & pid=$!
        train "${b[@]}"
        wait "$pid"
    else
        train "${a[@]}"
        train "${b[@]}"
    fi
done
