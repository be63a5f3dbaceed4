#!/usr/bin/env bash
# Training on a Slurm cluster (OpenMMLab argument order):
#   tools/slurm_train.sh PARTITION JOB_NAME CONFIG [WORK_DIR] [train.py options]
# See tools/slurm_run.sh for GPUS, GPUS_PER_NODE, CPUS_PER_TASK, GRES, SRUN_ARGS.
set -euo pipefail
ARGS=("$1" "$2" "$3")
shift 3
if [[ $# -gt 0 && $1 != -* ]]; then
    ARGS+=(--work-dir "$1")
    shift
fi
exec "$(dirname "$0")/slurm_run.sh" train.py "${ARGS[@]}" "$@"
