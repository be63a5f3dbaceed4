#!/usr/bin/env bash
# Images/s of sharded encoding on this machine (issue #34): the same tree encoded by 1, 2
# and 4 shards running at once (WORKERS encoding processes each, default 1; the
# unsharded row uses 2), wall time from the first start to the last shard's end, and
# the finalize check alone. Prints a markdown table.
#   bash tools/experiments/shard_encoding_benchmark.sh CODEC SRC [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
CODEC=$1
SRC=$2
W=${3:-work_dirs/shard_encoding_benchmark}
WORKERS=${WORKERS:-1}
IMAGES=$(find -L "$SRC" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) | wc -l)
rm -rf "$W"
mkdir -p "$W"
echo "| shards | workers each | images | wall s | images/s | finalize s |"
echo "|---|---|---|---|---|---|"
for n in 1 2 4; do
    dst="$W/n$n"
    start=$(date +%s.%N)
    if [[ $n == 1 ]]; then
        OMP_NUM_THREADS=1 "$PY" tools/compress_dataset.py "$CODEC" "$SRC" "$dst" \
            --workers 2 > "$W/n1.log" 2>&1
        fin=0
    else
        pids=()
        for ((i = 0; i < n; i++)); do
            OMP_NUM_THREADS=1 "$PY" tools/compress_dataset.py "$CODEC" "$SRC" "$dst" \
                --num-shards "$n" --shard-index "$i" --workers "$WORKERS" \
                > "$W/n$n-$i.log" 2>&1 & pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid"; done
    fi
    end=$(date +%s.%N)
    if [[ $n != 1 ]]; then
        OMP_NUM_THREADS=1 "$PY" tools/compress_dataset.py "$CODEC" "$SRC" "$dst" \
            --num-shards "$n" --finalize > "$W/n$n-finalize.log" 2>&1
        fin=$(echo "$(date +%s.%N) - $end" | bc)
    fi
    wall=$(echo "$end - $start" | bc)
    printf '| %s | %s | %s | %.1f | %.1f | %.1f |\n' "$n" \
        "$([[ $n == 1 ]] && echo 2 || echo "$WORKERS")" "$IMAGES" "$wall" \
        "$(echo "$IMAGES / $wall" | bc -l)" "$fin"
done
