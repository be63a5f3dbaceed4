#!/usr/bin/env bash
# Multi-process training with torchrun (OpenMMLab argument order):
#   tools/dist_train.sh CONFIG GPUS [train.py options]
# GPUS is the number of processes per node; see tools/dist_run.sh for the environment.
exec "$(dirname "$0")/dist_run.sh" train.py "$2" "$1" "${@:3}"
