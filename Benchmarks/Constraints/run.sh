#!/usr/bin/env bash
# Constraint benchmarks on the default model's 49 152-token vocabulary, side by side with
# llguidance on the same vocabulary and tokens. Needs the default model (Scripts/setup.sh) and
# llguidance (`pip install llguidance`; a virtual environment is made in .cache/llguidance-venv
# when python3 cannot import it).
#
#   bash Benchmarks/Constraints/run.sh [RESULTS_DIR]
#       mask time per token: GBNF grammar and PCRE2 regex constraints vs llguidance
#       (default Benchmarks/results/constraints)
#   bash Benchmarks/Constraints/run.sh awrs [RESULTS_DIR] [MAX_TOKENS] [REPEATS] [MODEL]
#       the AWRS table: checks and constraint time per token for AWRS and LCD, tokens/s of
#       unconstrained sampling, AWRS and LCD, llguidance's mask time (default
#       Benchmarks/results/awrs, 48 tokens, best of 3 runs; MODEL: a GGUF path or a fetched
#       model's name such as gemma3-270m, default the default model)
set -euo pipefail
cd "$(dirname "$0")/../.."

python=python3
if ! python3 -c "import llguidance" 2>/dev/null; then
    venv=.cache/llguidance-venv
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet llguidance
    fi
    python="$venv/bin/python"
fi

if [ "${1:-}" = "awrs" ]; then
    out="${2:-Benchmarks/results/awrs}"
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    (cd Benchmarks/Constraints/awrs && swift build -c release --product AWRSMeasure \
        && .build/release/AWRSMeasure "${3:-48}" "${4:-3}" "$out" ${5:+"$5"} | tee "$out/swift.md")
    uptime | tee "$out/load.txt"
    "$python" Benchmarks/Constraints/llguidance_compare.py --awrs "$out" | tee "$out/table.md"
    exit 0
fi

out="${1:-Benchmarks/results/constraints}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

swift build -c release --build-tests
CONSTRAINT_BENCHMARK_OUT="$out" swift test -c release --skip-build --filter MaskBenchmark
"$python" Benchmarks/Constraints/llguidance_compare.py "$out" | tee "$out/comparison.md"
