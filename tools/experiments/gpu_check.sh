#!/usr/bin/env bash
# Everything a GPU day should measure, in one call of under 8 minutes on one GPU:
#   1. the `cuda` tests (tests/test_cuda: device round trips, stems and loaders on the
#      model's device, one training iteration of a classification, a segmentation
#      (SyncBN) and a joint config with AMP, the safe loader with map_location='cuda');
#   2. A/B/C inference throughput at batch 64 and 256 with AMP and the paper-width codec's
#      training iterations/s (tools/analysis_tools/gpu_throughput.py);
#   3. the data-loader benchmark (JPEG vs .cdi images/s per worker, 1/2/4/8 workers) and
#      compress_dataset's encoding rate with the analysis transform on the GPU
#      (tools/analysis_tools/loader_benchmark.py, shipped C=32 photo codec);
# and writes OUT/gpu_check.json + OUT/gpu_check.md (device named).
# --dry-run does the same on the CPU with tiny batches (CI runs it), so the script is
# known to work before a GPU is there.
#   bash tools/experiments/gpu_check.sh OUT [--dry-run]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
OUT=${1:?usage: gpu_check.sh OUT [--dry-run]}
DRY=${2:-}
mkdir -p "$OUT"
if [[ $DRY == --dry-run ]]; then
    export CDI_TEST_DEVICE=cpu CUDA_VISIBLE_DEVICES=
    THROUGHPUT=(--device cpu --batch-sizes 2 --iters 1 --train-iters 1 --train-crop 64
                --train-batch 2)
    LOADER=(--images 6 --workers 1 --batch-size 2 --batches-per-worker 2
            --collates default_collate --encoding-workers 1
            --encode-batch-size 2 --encode-device cpu)
else
    "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" \
        || { echo "gpu_check: no CUDA device (use --dry-run on a CPU machine)" >&2; exit 1; }
    THROUGHPUT=(--device cuda --amp --batch-sizes 64 256 --iters 20 --train-iters 30)
    LOADER=(--workers 1 2 4 8 --encoding-workers 1 2 4 8 --encode-device cuda)
fi
CODEC=$(ls checkpoints/factorized-prior-s8-n96_c32_*.pth | head -n 1)
start=$(date +%s)
set +e
timeout 300 "$PY" -m pytest tests/test_cuda -q -p no:cacheprovider \
    --junitxml "$OUT/cuda_tests.xml" > "$OUT/cuda_tests.log" 2>&1
tests_rc=$?
timeout 240 "$PY" tools/analysis_tools/gpu_throughput.py --out "$OUT" "${THROUGHPUT[@]}" \
    > "$OUT/gpu_throughput.log" 2>&1
throughput_rc=$?
timeout 180 "$PY" tools/analysis_tools/loader_benchmark.py "$CODEC" --out "$OUT/loader" \
    "${LOADER[@]}" > "$OUT/loader_benchmark.log" 2>&1
loader_rc=$?
set -e
"$PY" - "$OUT" "$tests_rc" "$throughput_rc" "$(( $(date +%s) - start ))" "$DRY" \
    "$loader_rc" <<'PY'
import json, os.path as osp, sys, xml.etree.ElementTree as ET
out, tests_rc, throughput_rc, seconds, dry, loader_rc = sys.argv[1:]
suite = ET.parse(osp.join(out, 'cuda_tests.xml')).getroot()
suite = suite.find('testsuite') if suite.tag == 'testsuites' else suite
tests = {k: int(suite.get(k, 0)) for k in ('tests', 'failures', 'errors', 'skipped')}
path = osp.join(out, 'gpu_throughput.json')
throughput = json.load(open(path)) if osp.exists(path) else None
path = osp.join(out, 'loader', 'loader_benchmark.json')
loader = json.load(open(path)) if osp.exists(path) else None
summary = dict(dry_run=dry == '--dry-run', seconds=int(seconds), cuda_tests=tests,
               cuda_tests_rc=int(tests_rc), throughput_rc=int(throughput_rc),
               throughput=throughput, loader_rc=int(loader_rc), loader=loader)
json.dump(summary, open(osp.join(out, 'gpu_check.json'), 'w'), indent=2)
lines = [f"# gpu_check{' (dry run on the CPU)' if summary['dry_run'] else ''}", '',
         f"device: {throughput['device'] if throughput else 'unknown'}; "
         f"{seconds} s in all", '',
         f"cuda tests: {tests['tests']} run, {tests['failures']} failed, "
         f"{tests['errors']} errors, {tests['skipped']} skipped", '']
if throughput:
    lines += ['| path | batch | AMP | images/s |', '|---|---|---|---|']
    lines += [f"| {r['path']} | {r['batch']} | {r['amp']} | {r['images_per_s']} |"
              for r in throughput['inference']]
    t = throughput['codec_training']
    lines += ['', f"codec training ({t['codec']}, batch {t['batch']} x {t['crop']}px, "
              f"AMP {t['amp']}): {t['iters_per_s']} it/s"]
if loader:
    lines += ['', open(osp.join(out, 'loader', 'loader_benchmark.md')).read()]
open(osp.join(out, 'gpu_check.md'), 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PY
[[ $tests_rc == 0 && $throughput_rc == 0 && $loader_rc == 0 ]]
