#!/usr/bin/env bash
# Cautious next-token prediction against plain sampling on the default model, in one run:
# the same chat prompts and seeds through `decode generate --json`, then wall time per generated
# token as a ratio, and the extra model work (tokens evaluated) as a ratio.
# Usage: swift build -c release --product decode && bash Benchmarks/Sampling/cntp_vs_sample.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
decode=.build/release/decode
prompts=("What is the capital of France?" "Give me two tips for better sleep."
         "Write one sentence about the sea." "Why is the sky blue?")
results=$(mktemp)
for strategy in sample cautious; do
    start=$(date +%s.%N)
    for seed in 1 2; do
        for prompt in "${prompts[@]}"; do
            "$decode" generate --chat --strategy "$strategy" --seed "$seed" --max-tokens 48 --json "$prompt" \
                2>/dev/null | python3 -c "
import json, sys
d = json.load(sys.stdin); s = d['strategy']
print('$strategy', 'run', len(d['tokens']), s['tokens_evaluated'], s['branching_steps'])"
        done
    done
    end=$(date +%s.%N)
    echo "$strategy wall $(python3 -c "print($end - $start)")"
done > "$results"
python3 - "$results" <<'PY'
import sys
runs, wall = {}, {}
for line in open(sys.argv[1]):
    parts = line.split()
    if parts[1] == "run":
        runs.setdefault(parts[0], []).append(tuple(map(int, parts[2:])))
    else:
        wall[parts[0]] = float(parts[2])
def totals(name):
    generated = sum(r[0] for r in runs[name]); evaluated = sum(r[1] for r in runs[name])
    return generated, evaluated, sum(r[2] for r in runs[name])
print("| strategy | generated | tokens evaluated | branching steps | wall s | s per generated token |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name in ("sample", "cautious"):
    g, e, b = totals(name)
    print(f"| {name} | {g} | {e} | {b} | {wall[name]:.1f} | {wall[name] / g:.3f} |")
(gs, es, _), (gc, ec, _) = totals("sample"), totals("cautious")
print(f"\ncautious / sample: wall per generated token {wall['cautious'] / gc / (wall['sample'] / gs):.2f}x, "
      f"tokens evaluated per generated token {(ec / gc) / (es / gs):.2f}x")
PY
rm -f "$results"
