#!/usr/bin/env bash
# Idempotent environment set-up for cdi_mm (called by `make setup`, `make test`, `make demo`).
#
# 1. creates .venv (or $CDI_MM_VENV) if missing;
# 2. installs the pinned torch/torchvision pair first;
# 3. if no mmcv 2.1.0 with compiled ops imports, installs it from the wheel cache
#    ($CDI_MM_CACHE/wheels, default ~/.cache/cdi_mm/wheels) or builds it from the
#    source distribution (MMCV_WITH_OPS=1, -std=c++20 for torch 2.14) and caches the wheel;
# 4. pip install -e .[tests,lint,mim].
# A second run on the same machine only checks imports (well under a minute).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CDI_MM_VENV:-$ROOT/.venv}"
CACHE="${CDI_MM_CACHE:-$HOME/.cache/cdi_mm}"
WHEELS="$CACHE/wheels"
PY="$VENV/bin/python"
PIP=("$PY" -m pip -q --disable-pip-version-check)
TORCH_PINS=(torch==2.14.1 torchvision==0.29.1 "numpy>=1.26,<2" "setuptools>=77.0.3,<80.9" wheel ninja)

log() { printf '[setup_env] %s\n' "$*" >&2; }
# Drops pip's noisy location warnings; never fails itself, so under pipefail a pipeline
# fails exactly when pip does (and set -e stops before the stamp is written).
quiet() { grep -v '^WARNING: Location' || true; }

if [ ! -x "$PY" ]; then
  log "creating virtualenv $VENV"
  python3 -m venv "$VENV"
fi

if ! "$PY" -c "import torch, torchvision; assert torch.__version__.startswith('2.14.1') and torchvision.__version__.startswith('0.29.1')" 2>/dev/null; then
  log "installing torch 2.14.1 + torchvision 0.29.1 (first run: about a minute)"
  "${PIP[@]}" install "${TORCH_PINS[@]}" 2>&1 | quiet
fi

mmcv_ok() {
  "$PY" - <<'PY' 2>/dev/null
import mmcv
assert mmcv.__version__ == '2.1.0', mmcv.__version__
from mmcv.ops import nms  # noqa: F401  compiled ops must import
PY
}

if ! mmcv_ok; then
  mkdir -p "$WHEELS"
  wheel=$(ls "$WHEELS"/mmcv-2.1.0-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel" ]; then
    log "building mmcv 2.1.0 with compiled ops from source (about 10-15 minutes on 2 cores)"
    build=$(mktemp -d)
    "${PIP[@]}" download mmcv==2.1.0 --no-deps --no-binary :all: --no-build-isolation -d "$build" 2>&1 \
      | quiet
    tar -xzf "$build"/mmcv-2.1.0.tar.gz -C "$build"
    # torch 2.14 headers need C++20; mmcv 2.1.0 asks for C++17.
    sed -i 's/-std=c++17/-std=c++20/g' "$build"/mmcv-2.1.0/setup.py
    with_cuda=0
    if command -v nvcc >/dev/null 2>&1 && "$PY" -c "import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
      with_cuda=1
    fi
    log "MMCV_WITH_OPS=1 FORCE_CUDA=$with_cuda MAX_JOBS=${MAX_JOBS:-$(nproc)}"
    (cd "$build"/mmcv-2.1.0 && MMCV_WITH_OPS=1 FORCE_CUDA=$with_cuda MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
      "$PY" -m pip wheel . --no-deps --no-build-isolation -w "$build/dist" 2>&1 \
      | quiet | tail -n 5)
    cp "$build"/dist/mmcv-2.1.0-*.whl "$WHEELS"/
    rm -rf "$build"
    wheel=$(ls "$WHEELS"/mmcv-2.1.0-*.whl | head -n 1)
  fi
  log "installing $(basename "$wheel")"
  "${PIP[@]}" install --no-deps "$wheel"
fi

stamp="$VENV/.cdi_mm-setup.sha"
want=$(cat "$ROOT/setup.py" "$ROOT/tools/setup_env.sh" | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$PY" -c "import cdi_mm, mmseg, mmpretrain, compressai" 2>/dev/null; then
  log "installing cdi_mm (editable) with the pinned OpenMMLab stack"
  "${PIP[@]}" install -e "$ROOT[tests,lint,mim]" 2>&1 | quiet
  "$PY" -c "import cdi_mm, mmseg, mmpretrain, compressai" \
    || { log "cdi_mm does not import after pip install; not writing $stamp"; exit 1; }
  echo "$want" > "$stamp"
fi
mmcv_ok || { log "mmcv with compiled ops does not import"; exit 1; }
log "ready: $VENV"
