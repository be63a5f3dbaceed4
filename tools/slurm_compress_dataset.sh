#!/usr/bin/env bash
# Encode a data set as a Slurm array job, one shard per array task, then check and close
# the tree (compress_dataset.py --finalize):
#   tools/slurm_compress_dataset.sh PARTITION JOB_NAME CODEC SRC DST [N] [options]
# N array tasks (default 4), each `compress_dataset.py CODEC SRC DST [options]` on its
# shard (from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT); a killed or failed task is
# rerun alone with `sbatch --array=I` (or by running this again: finished files are
# skipped). Environment: CPUS_PER_TASK (default 2, also the encoding workers per task),
# SBATCH_ARGS, PYTHON, LOG_DIR (default .: slurm_compress-<job>_<task>.log).
set -euo pipefail
PARTITION=$1
JOB_NAME=$2
CODEC=$3
SRC=$4
DST=$5
shift 5
N=4
if [[ $# -gt 0 && $1 != -* ]]; then
    N=$1
    shift
fi
CPUS=${CPUS_PER_TASK:-2}
PY=${PYTHON:-python}
TOOL="$(cd "$(dirname "$0")" && pwd)/compress_dataset.py"
printf -v CMD '%q ' "$PY" -u "$TOOL" "$CODEC" "$SRC" "$DST" --workers "$CPUS" "$@"
# shellcheck disable=SC2086  # SBATCH_ARGS is a list of options
sbatch --wait -p "$PARTITION" --job-name="$JOB_NAME" --array="0-$((N - 1))" \
    --ntasks=1 --cpus-per-task="$CPUS" \
    --output="${LOG_DIR:-.}/slurm_compress-%A_%a.log" ${SBATCH_ARGS:-} \
    --wrap="PYTHONPATH=$(printf %q "$(dirname "$TOOL")/..")\${PYTHONPATH:+:\$PYTHONPATH} $CMD"
# every task's status is not enough (a task that never ran): finalize checks the files
exec "$PY" "$TOOL" "$CODEC" "$SRC" "$DST" --num-shards "$N" --finalize "$@"
