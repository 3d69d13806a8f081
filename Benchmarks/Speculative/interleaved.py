#!/usr/bin/env python3
"""Interleaved repeated runs: plain decoding against chosen speculative configurations.

On a shared machine the load drifts within minutes, so one run per configuration compares
different loads. This runs every configuration once per round, for several rounds, in turn, and
reports the median decode-phase tokens per second of each with its ratio to plain decoding (the
median of the per-round ratios, which cancels drift between rounds), plus the load average.

Usage (from the repository root):
    swift build -c release --product decode
    python3 Benchmarks/Speculative/interleaved.py [--rounds 5] [--prompts chat-sleep passage] [--temp 0]
"""
import argparse
import json
import os
import statistics

from bench import ROOT, run_decode

CONFIGURATIONS = {
    "plain": [],
    "ngram default": ["--speculative", "ngram"],
    "ngram dynamic B16 D6": ["--speculative", "ngram", "--tree", "dynamic", "--tree-budget", "16", "--draft-depth", "6"],
    "ngram dynamic auto D8": ["--speculative", "ngram", "--tree", "dynamic", "--tree-budget", "auto",
                              "--draft-depth", "8"],
    "ngram dynamic B8 D8": ["--speculative", "ngram", "--tree", "dynamic", "--tree-budget", "8",
                            "--draft-depth", "8"],
    "ngram chain 8": ["--speculative", "ngram", "--tree", "chain", "--draft-depth", "8"],
    "ngram static 2-1-1-1-1-1-1-1": ["--speculative", "ngram", "--tree", "static", "--tree-branching",
                                     "2,1,1,1,1,1,1,1"],
    "layerskip:24 dynamic auto D3": ["--speculative", "layerskip:24", "--tree", "dynamic", "--tree-budget", "auto",
                                     "--draft-depth", "3"],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=80)
    parser.add_argument("--temp", type=float, default=0)
    parser.add_argument("--prompts", nargs="+", default=["chat-sleep", "passage"])
    parser.add_argument("--configurations", nargs="+", default=["plain", "ngram dynamic auto D8"],
                        choices=sorted(CONFIGURATIONS))
    arguments = parser.parse_args()
    with open(os.path.join(ROOT, "Benchmarks", "Speculative", "prompts.json")) as file:
        prompts = {entry["name"]: entry["prompt"] for entry in json.load(file)}
    rates = {(p, c): [] for p in arguments.prompts for c in arguments.configurations}
    loads = []
    for _ in range(arguments.rounds):
        loads.append(os.getloadavg()[0])
        for name in arguments.prompts:
            for configuration in arguments.configurations:
                result = run_decode(prompts[name], arguments.temp, CONFIGURATIONS[configuration], arguments.max_tokens)
                rates[(name, configuration)].append(result["stats"]["decode_tokens_per_second"])
    print(f"{arguments.rounds} rounds, temperature {arguments.temp}, load average {min(loads):.1f}–{max(loads):.1f}")
    print("| prompt | configuration | median tok/s | median × plain | per-round × plain |")
    print("| --- | --- | ---: | ---: | --- |")
    for name in arguments.prompts:
        plain = rates[(name, "plain")] if "plain" in arguments.configurations else None
        for configuration in arguments.configurations:
            values = rates[(name, configuration)]
            ratios = [v / p for v, p in zip(values, plain)] if plain else []
            ratio = f"{statistics.median(ratios):.2f}" if ratios else ""
            listed = " ".join(f"{r:.2f}" for r in ratios)
            print(f"| {name} | {configuration} | {statistics.median(values):.1f} | {ratio} | {listed} |")


if __name__ == "__main__":
    main()
