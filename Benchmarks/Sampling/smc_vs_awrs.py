#!/usr/bin/env python3
"""SMC's cost per particle-step against one constrained sample (AWRS), on the default model.

The same chat prompts, regex and seeds through `decode generate --json`, interleaved rounds:
`awrs` (one sequence) and `smc:N` (N particles with AWRS proposals). Reports decode-phase seconds
(model load and prefill excluded) per generated token for AWRS and per particle-step for SMC (a
particle-step is one particle extended by one token: the sum of the particles' lengths), their
ratio, and the tokens the model evaluated per particle-step (below 1 when particles that hold the
same tokens share a session).

Usage (from the repository root):
    swift build -c release --product decode && python3 Benchmarks/Sampling/smc_vs_awrs.py [--rounds 3] [--particles 8]
"""
import argparse
import json
import os
import subprocess
import statistics

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROMPTS = ["Describe the sea in one sentence.", "Give me one tip for better sleep.",
           "What is the capital of France? Answer in one sentence.", "Describe a cat in one sentence."]
REGEX = r"[A-Z][a-z]+( [a-z]+){3,12}\."


def run(decode, strategy, prompt, seed, max_tokens):
    command = [decode, "generate", "--chat", "--json", "--seed", str(seed),
               "--max-tokens", str(max_tokens), "--regex", REGEX, "--strategy", strategy, prompt]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result = json.loads(output)
    tokens = len(result["tokens"])
    seconds = tokens / result["stats"]["decode_tokens_per_second"] if tokens else 0.0
    particles = result.get("particles") or []
    steps = sum(len(p["tokens"]) for p in particles) if particles else tokens
    return seconds, steps, result["strategy"]["tokens_evaluated"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--particles", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=24)
    parser.add_argument("--decode", default=os.path.join(ROOT, ".build", "release", "decode"),
                        help="the decode executable (another checkout's, for an A/B run)")
    arguments = parser.parse_args()
    smc = f"smc:{arguments.particles}"
    per_step = {"awrs": [], smc: []}
    evaluated = {"awrs": [0, 0], smc: [0, 0]}
    loads = []
    for _ in range(arguments.rounds):
        loads.append(os.getloadavg()[0])
        totals = {name: [0.0, 0] for name in per_step}
        for seed, prompt in enumerate(PROMPTS, start=1):
            for name in per_step:
                seconds, steps, tokens_evaluated = run(arguments.decode, name, prompt, seed, arguments.max_tokens)
                totals[name][0] += seconds
                totals[name][1] += steps
                evaluated[name][0] += tokens_evaluated
                evaluated[name][1] += steps
        for name, (seconds, steps) in totals.items():
            per_step[name].append(seconds / max(steps, 1))
    ratios = [s / a for s, a in zip(per_step[smc], per_step["awrs"])]
    print(f"{arguments.rounds} rounds, {len(PROMPTS)} prompts, regex {REGEX!r}, load average {min(loads):.1f}–{max(loads):.1f}")
    print("| strategy | median ms per particle-step | tokens evaluated per particle-step |")
    print("| --- | ---: | ---: |")
    for name in per_step:
        print(f"| {name} | {1000 * statistics.median(per_step[name]):.2f} | {evaluated[name][0] / max(evaluated[name][1], 1):.2f} |")
    print(f"\n{smc} per particle-step / awrs per token: median {statistics.median(ratios):.3f} "
          f"(rounds {' '.join(f'{r:.3f}' for r in ratios)})")


if __name__ == "__main__":
    main()
