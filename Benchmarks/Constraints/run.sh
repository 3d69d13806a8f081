#!/usr/bin/env bash
# Mask computation time per token on the default model's 49 152-token vocabulary: swift-decoding's
# GBNF grammar and PCRE2 regex constraints, side by side with llguidance on the same vocabulary
# and token sequences. Needs the default model (Scripts/setup.sh) and, for the comparison,
# `pip install llguidance` (a virtual environment is made in .cache/llguidance-venv if missing).
#
# Usage: bash Benchmarks/Constraints/run.sh [RESULTS_DIR]   (default Benchmarks/results/constraints)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-Benchmarks/results/constraints}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

swift build -c release --build-tests
CONSTRAINT_BENCHMARK_OUT="$out" swift test -c release --skip-build --filter MaskBenchmark

venv=.cache/llguidance-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet llguidance
fi
"$venv/bin/python" Benchmarks/Constraints/llguidance_compare.py "$out" | tee "$out/comparison.md"
