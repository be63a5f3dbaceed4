#!/usr/bin/env bash
# Multi-process testing with torchrun (OpenMMLab argument order):
#   tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options]
exec "$(dirname "$0")/dist_run.sh" test.py "$3" "$1" "$2" "${@:4}"
