#!/usr/bin/env bash
# The paper's claims on natural photographs, at the three operating points of the shipped
# photo codecs (C=8/16/32); CPU widths, one 2k-iteration schedule for every row of a
# comparison, seeds 0 and 1 (SEEDS to change), operating points CS (default "8 16 32"):
# * each codec encodes photo objects and photo scenes once (tools/compress_dataset.py:
#   .cdi latents + the manifest naming the codec) and decodes them once
#   (tools/decompress_dataset.py: PNG reconstructions for the decoded-image baselines);
# * photo objects: cResNet-39 / -51 on latents vs ResNet-50 on decoded images vs
#   ResNet-50 on the originals; validated on held-out objects (val), tested on the
#   training objects pasted on held-out photos (val_seen);
# * photo scenes: DeepLab-v2 ASPP on cResNet-51-d (latents) vs ResNet-50-d (decoded,
#   original), each backbone initialised from the matching photo-object classifier of
#   the same seed (as the paper initialises from ImageNet classifiers).
# Work dirs carry the codec's hash, so a newly published codec gets new runs. Resumable:
# a finished run is skipped, a started one resumes. RGB=0 leaves out the RGB rows (to run
# two operating points side by side, one torch thread each, without both training them);
# ONLY (an extended regex) keeps the runs whose config name matches it. A finished run
# carried between sessions as checkpoints/in_progress/<run dir name>.pth (weights only,
# tools/model_converters/publish_model.py) counts as done: a segmenter starts from it
# without its classifier being retrained (its numbers live in the committed ledger,
# docs/photo_operating_points_interim.csv).
# Every command is recorded in
# WORK_DIR/commands.txt; tables: tools/analysis_tools/photo_results.py WORK_DIR.
#   bash tools/experiments/photo_operating_points.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
W=${1:-work_dirs/photo_operating_points}
SEEDS=${SEEDS:-0 1}
CS=${CS:-8 16 32}
RGB=${RGB:-1}
ONLY=${ONLY:-.}
ITERS=2000
# the published photo codecs (tools/experiments/publish_photo_codecs.sh rewrites these)
declare -A CODEC=(
    [8]=checkpoints/factorized-prior-s8-n96_c8_eb_1xb8-200k_photos_20261128-fca34b3e.pth
    [16]=checkpoints/factorized-prior-s8-n96_c16_eb_1xb8-200k_photos_20261128-27a893a3.pth
    [32]=checkpoints/factorized-prior-s8-n96_c32_eb_1xb8-200k_photos_20261128-28a01073.pth)
mkdir -p "$W"
run() { echo "+ $*" | tee -a "$W/commands.txt"; "$@"; }
restore() {  # RUN_DIR/iter_N.pth: put a finished run carried between sessions there
    local carried; carried=checkpoints/in_progress/$(basename "$(dirname "$1")").pth
    [[ -f $1 || ! -f $carried ]] || { mkdir -p "$(dirname "$1")"; cp "$carried" "$1"; }
}
train() {  # CONFIG OUT [cfg-options ...]: skip when done, resume when started; then
    # test on val_seen (training objects on held-out photos) once
    local cfg=$1 out=$2; shift 2
    grep -qE -- "$ONLY" <<<"$(basename "$cfg" .py)" || return 0
    restore "$out/iter_$ITERS.pth"
    if [[ ! -f $out/iter_$ITERS.pth ]]; then
        local resume=(); ls "$out"/iter_*.pth >/dev/null 2>&1 && resume=(--resume)
        run "$PY" tools/train.py "$cfg" --work-dir "$out" "${resume[@]}" \
            --cfg-options "$@"
    fi
    ls "$out"/test/*/*.json >/dev/null 2>&1 || \
        run "$PY" tools/test.py "$cfg" "$out/iter_$ITERS.pth" --work-dir "$out/test"
}
hash_of() { basename "$1" .pth | grep -oE '[0-9a-f]{8}$'; }
[[ -f data/photos/manifest.json ]] || run "$PY" tools/prepare_data.py photos
for data in photo_objects photo_scenes; do
    [[ -f data/$data/manifest.json ]] || run "$PY" tools/prepare_data.py "${data/_/-}"
    for c in $CS; do
        run "$PY" tools/compress_dataset.py "${CODEC[$c]}" "data/$data" "data/${data}_c$c" \
            --batch-size 16 | tail -n 3
        run "$PY" tools/decompress_dataset.py "${CODEC[$c]}" "data/${data}_c$c" \
            "data/${data}_c$c-decoded" | tail -n 1
    done
done
O=configs/photo_objects
S=configs/photo_scenes
for seed in $SEEDS; do
    # classifiers (the RGB reference after the first operating point's rows), then
    # segmenters (scene config -> the classifier that initialises it)
    CLS=()
    declare -A SEG=()
    [[ $RGB == 1 ]] && SEG[deeplabv2_r50-w16-d8_rgb_1xb8-2k_photo-scenes]=resnet50-w16_rgb_1xb32-2k_photo-objects
    for c in $CS; do
        CLS+=(cresnet39-w32_c$c-preencoded_1xb32-2k_photo-objects
              cresnet51-w32_c$c-preencoded_1xb32-2k_photo-objects
              resnet50-w16_c$c-decoded_1xb32-2k_photo-objects)
        [[ ${#CLS[@]} == 3 && $RGB == 1 ]] && CLS+=(resnet50-w16_rgb_1xb32-2k_photo-objects)
        SEG[deeplabv2_cresnet51-w32-d8_c$c-preencoded_1xb8-2k_photo-scenes]=cresnet51-w32_c$c-preencoded_1xb32-2k_photo-objects
        SEG[deeplabv2_r50-w16-d8_c$c-decoded_1xb8-2k_photo-scenes]=resnet50-w16_c$c-decoded_1xb32-2k_photo-objects
    done
    dir_of() {  # config name -> work dir (codec hash in it)
        local c; c=$(grep -oE '_c(8|16|32)-' <<<"$1" | grep -oE '[0-9]+' || true)
        echo "$W/$1${c:+_$(hash_of "${CODEC[$c]}")}_seed$seed"
    }
    for name in "${CLS[@]}"; do
        train "$O/$name.py" "$(dir_of "$name")" randomness.seed="$seed"
    done
    for name in $(printf '%s\n' "${!SEG[@]}" | sort); do
        classifier="$(dir_of "${SEG[$name]}")/iter_$ITERS.pth"
        restore "$classifier"
        train "$S/$name.py" "$(dir_of "$name")" randomness.seed="$seed" \
            model.backbone.init_cfg.type=Pretrained \
            "model.backbone.init_cfg.checkpoint=$classifier" \
            model.backbone.init_cfg.prefix=backbone.
    done
done
run "$PY" tools/analysis_tools/photo_results.py "$W"
