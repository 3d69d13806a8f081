#!/usr/bin/env python3
"""Constrained speculative decoding against constrained decoding without speculation.

A copy-heavy JSON task (copy three employee records from the prompt, as JSON under
record.schema.json) with the same constrained mode and seed, with and without prompt-lookup
drafts: lcd against lcd+draft:ngram (the target masked at every tree node) and awrs against
awrs+draft:ngram (verification against the unconstrained row, each emitted token checked, a
rejected one redrawn). Every configuration runs once per round, in turn, for several rounds; the
table gives the median decode-phase tokens per second and the median of the per-round ratios to
the same mode without drafts, with the load average. Each output is parsed with Python's json
module (not the constraint that produced it) and checked against the schema's keys and types.

Usage (from the repository root):
    swift build -c release --product decode
    python3 Benchmarks/Speculative/constrained.py [--rounds 5] [--temp 0] [--max-tokens 96]
"""
import argparse
import json
import os
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DECODE = os.path.join(ROOT, ".build", "release", "decode")
SCHEMA = os.path.join(HERE, "record.schema.json")
PROMPT = (
    "Here is an employee record:\n"
    "{\"name\": \"Alice Smith\", \"department\": \"Sales\", \"office\": \"London\", \"start_year\": 2019, "
    "\"manager\": \"Bob Jones\", \"active\": true}\n\n"
    "Copy the record exactly, as JSON."
)
MODES = ["lcd", "awrs"]
TYPES = {"name": str, "department": str, "office": str, "start_year": int, "manager": str, "active": bool}


def run(strategy, temperature, max_tokens):
    command = [DECODE, "generate", "--chat", "--json", "--seed", "1", "--temp", str(temperature),
               "--max-tokens", str(max_tokens), "--json-schema", SCHEMA, "--strategy", strategy, PROMPT]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(completed.stdout)
    record = json.loads(result["text"])
    if set(record) != set(TYPES) or any(type(record[k]) is not t for k, t in TYPES.items()):
        raise SystemExit(f"{strategy}: output does not follow the schema: {result['text']!r}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--temp", type=float, default=0)
    parser.add_argument("--max-tokens", type=int, default=96)
    arguments = parser.parse_args()
    strategies = [s for mode in MODES for s in (mode, f"{mode}+draft:ngram")]
    rates = {s: [] for s in strategies}
    texts = {s: set() for s in strategies}
    loads = []
    for _ in range(arguments.rounds):
        loads.append(os.getloadavg()[0])
        for strategy in strategies:
            result = run(strategy, arguments.temp, arguments.max_tokens)
            rates[strategy].append(result["stats"]["decode_tokens_per_second"])
            texts[strategy].add(result["text"])
    print(f"{arguments.rounds} rounds, temperature {arguments.temp}, load average {min(loads):.1f}–{max(loads):.1f}")
    print("| strategy | median tok/s | median × same mode without drafts | per-round × | distinct outputs |")
    print("| --- | ---: | ---: | --- | ---: |")
    for strategy in strategies:
        base = rates[strategy.split("+")[0]]
        ratios = [r / b for r, b in zip(rates[strategy], base)]
        print(f"| {strategy} | {statistics.median(rates[strategy]):.1f} | {statistics.median(ratios):.2f} | "
              f"{' '.join(f'{r:.2f}' for r in ratios)} | {len(texts[strategy])} |")
    if arguments.temp == 0:
        for mode in MODES:
            same = texts[mode] == texts[f"{mode}+draft:ngram"]
            print(f"{mode}: greedy output with drafts {'identical' if same else 'DIFFERENT'} to without")


if __name__ == "__main__":
    main()
