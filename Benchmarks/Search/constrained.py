#!/usr/bin/env python3
"""What a constraint adds to best-of-8 and beam-4: the same search with and without a JSON Schema.

Each search runs on four chat prompts (asking for the answer as JSON) with --max-tokens 32, once
plain and once under answer.schema.json in locally constrained form (`best-of-n:8+lcd`,
`beam:4+lcd`, the constraint's mask first in every branch's chain), interleaved over rounds.
Reported: the median over rounds of each configuration's decode seconds per generated token and
the median per-round ratio constrained / plain (target ≤ 1.10), with the load average. Outputs
under the schema are parsed with Python's json module.

Usage (from the repository root):
    swift build -c release --product decode
    python3 Benchmarks/Search/constrained.py [--rounds 3]
"""
import argparse
import json
import os
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DECODE = os.path.join(ROOT, ".build", "release", "decode")
SCHEMA = os.path.join(HERE, "answer.schema.json")
QUESTIONS = ["What is the capital of France?", "Give me two tips for better sleep.",
             "Write one sentence about the sea.", "What is 17 + 25?"]
SEARCHES = ["best-of-n:8", "beam:4"]


def seconds_per_token(strategy, constrained, max_tokens):
    total_seconds, total_tokens = 0.0, 0
    for question in QUESTIONS:
        prompt = question + " Answer in JSON as {\"answer\": \"...\"}."
        command = [DECODE, "generate", "--chat", "--json", "--seed", "1", "--temp", "0.7",
                   "--max-tokens", str(max_tokens), "--strategy", strategy, prompt]
        if constrained:
            command[2:2] = ["--json-schema", SCHEMA]
        result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        tokens = result["stats"]["generated_token_count"]
        if constrained and result["constraint"]["complete"]:
            json.loads(result["text"])
        total_seconds += tokens / max(result["stats"]["decode_tokens_per_second"], 1e-9)
        total_tokens += tokens
    return total_seconds / max(total_tokens, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=32)
    arguments = parser.parse_args()
    times = {(s, c): [] for s in SEARCHES for c in (False, True)}
    loads = []
    for _ in range(arguments.rounds):
        loads.append(os.getloadavg()[0])
        for search in SEARCHES:
            for constrained in (False, True):
                times[(search, constrained)].append(seconds_per_token(search, constrained, arguments.max_tokens))
    print(f"{arguments.rounds} rounds, load average {min(loads):.1f}–{max(loads):.1f}")
    print("| search | plain ms/token | +lcd ms/token | median × plain | per-round × |")
    print("| --- | ---: | ---: | ---: | --- |")
    for search in SEARCHES:
        plain, constrained = times[(search, False)], times[(search, True)]
        ratios = [c / p for c, p in zip(constrained, plain)]
        print(f"| {search} | {1e3 * statistics.median(plain):.1f} | {1e3 * statistics.median(constrained):.1f} | "
              f"{statistics.median(ratios):.2f} | {' '.join(f'{r:.2f}' for r in ratios)} |")


if __name__ == "__main__":
    main()
