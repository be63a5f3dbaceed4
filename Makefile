# Two commands do everything on a fresh machine: `make demo` and `make test`.
PY := .venv/bin/python

.PHONY: setup demo test bench
setup:
	bash tools/setup_env.sh

demo: setup
	$(PY) tools/demo.py --work-dir work_dirs/demo

test: setup
	$(PY) -m pytest tests -q -x -p no:cacheprovider

bench: setup
	$(PY) tools/analysis_tools/benchmark.py --out work_dirs/bench
	$(PY) tools/analysis_tools/loader_benchmark.py \
	    $(firstword $(wildcard checkpoints/factorized-prior-s8-n96_c32_*.pth)) \
	    --out work_dirs/bench/loader
