#!/usr/bin/env bash
# Testing on a Slurm cluster (OpenMMLab argument order):
#   tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py options]
# See tools/slurm_run.sh for GPUS, GPUS_PER_NODE, CPUS_PER_TASK, GRES, SRUN_ARGS.
exec "$(dirname "$0")/slurm_run.sh" test.py "$@"
