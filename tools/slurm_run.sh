#!/usr/bin/env bash
# srun one of the tools (used by slurm_train.sh and slurm_test.sh):
#   tools/slurm_run.sh TOOL PARTITION JOB_NAME [TOOL arguments]
# Environment: GPUS (tasks in all, default 8), GPUS_PER_NODE (default 8),
# CPUS_PER_TASK (default 5), SRUN_ARGS, PYTHON, and GRES (default gpu:GPUS_PER_NODE;
# set it empty on a CPU-only cluster, where each task is a gloo process).
set -euo pipefail
TOOL=$1
PARTITION=$2
JOB_NAME=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
GRES=${GRES-gpu:${GPUS_PER_NODE}}
# shellcheck disable=SC2086  # SRUN_ARGS is a list of options
PYTHONPATH="$(dirname "$0")/..${PYTHONPATH:+:$PYTHONPATH}" \
exec srun -p "$PARTITION" --job-name="$JOB_NAME" ${GRES:+--gres=$GRES} \
    --ntasks="$GPUS" --ntasks-per-node="$GPUS_PER_NODE" \
    --cpus-per-task="${CPUS_PER_TASK:-5}" --kill-on-bad-exit=1 ${SRUN_ARGS:-} \
    "${PYTHON:-python}" -u "$(dirname "$0")/$TOOL" "${@:4}" --launcher=slurm
