# Two commands do everything on a fresh machine: `make demo` and `make test`.
PY := .venv/bin/python
LINTED := cdi_mm tools tests configs setup.py

.PHONY: setup demo lint test bench
setup:
	bash tools/setup_env.sh

demo: setup
	$(PY) tools/demo.py --work-dir work_dirs/demo

# OpenMMLab lint (settings in setup.cfg): flake8, isort and yapf must have nothing to say
lint: setup
	$(PY) -m flake8 $(LINTED)
	$(PY) -m isort --check-only --diff $(LINTED)
	$(PY) -m yapf --diff --recursive $(LINTED)

test: lint
	$(PY) -m pytest tests -q -x -p no:cacheprovider --durations=25 -n 2

bench: setup
	$(PY) tools/analysis_tools/benchmark.py --out work_dirs/bench
	$(PY) tools/analysis_tools/loader_benchmark.py \
	    $(firstword $(wildcard checkpoints/factorized-prior-s8-n96_c32_*.pth)) \
	    --out work_dirs/bench/loader
