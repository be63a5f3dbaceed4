#!/usr/bin/env bash
# torchrun one of the tools on this node (used by dist_train.sh and dist_test.sh):
#   tools/dist_run.sh TOOL NPROC [TOOL arguments]
# NNODES, NODE_RANK, MASTER_ADDR, PORT and PYTHON are read from the environment. On a
# machine without a GPU each process is a CPU process over gloo.
set -euo pipefail
TOOL=$1
NPROC=$2
PYTHONPATH="$(dirname "$0")/..${PYTHONPATH:+:$PYTHONPATH}" \
exec "${PYTHON:-python}" -m torch.distributed.run \
    --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}" \
    --master_addr="${MASTER_ADDR:-127.0.0.1}" --master_port="${PORT:-29500}" \
    --nproc_per_node="$NPROC" "$(dirname "$0")/$TOOL" "${@:3}" --launcher pytorch
