#!/usr/bin/env bash
# Encode a data set with torchrun on this node, one shard per process (RANK / WORLD_SIZE;
# add --device cuda with GPUs: process i uses GPU i), then check and close the tree
# (compress_dataset.py --finalize):
#   tools/dist_compress_dataset.sh CODEC SRC DST NPROC [compress_dataset.py options]
# PYTHON and PORT are read from the environment.
set -euo pipefail
CODEC=$1
SRC=$2
DST=$3
NPROC=$4
shift 4
PY=${PYTHON:-python}
TOOL="$(cd "$(dirname "$0")" && pwd)/compress_dataset.py"
PYTHONPATH="$(dirname "$TOOL")/..${PYTHONPATH:+:$PYTHONPATH}" \
    "$PY" -m torch.distributed.run --nnodes=1 --nproc_per_node="$NPROC" \
    --master_addr=127.0.0.1 --master_port="${PORT:-29511}" \
    "$TOOL" "$CODEC" "$SRC" "$DST" "$@"
exec "$PY" "$TOOL" "$CODEC" "$SRC" "$DST" --num-shards "$NPROC" --finalize "$@"
