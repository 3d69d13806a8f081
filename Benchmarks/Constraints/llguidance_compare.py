#!/usr/bin/env python3
"""Side-by-side mask timing: swift-decoding's constraints vs llguidance, same vocabulary, same
token sequences.

Reads what the Swift side wrote (`swift-masks.json`, `vocabulary.json`, see
Tests/ConstraintsTests/MaskBenchmark.swift), builds an llguidance tokenizer from the very same
token bytes, replays each workload's tokens through an `LLMatcher` timing `compute_bitmask()`
at every position, and prints a table of mean/median mask times, their ratio, and how often
the two engines allowed the same number of tokens.

Usage: python3 llguidance_compare.py RESULTS_DIR
"""
import json
import statistics
import sys
import time

import llguidance


class VocabularyTokenizer:
    """The minimal tokenizer object llguidance's TokenizerWrapper needs: token bytes, EOS, and a
    (greedy, longest-match) tokenize function used only for llguidance's own bookkeeping."""

    def __init__(self, tokens, eos, control):
        self.tokens = tokens
        self.eos_token_id = eos
        self.bos_token_id = None
        self.special_token_ids = sorted(control)
        self._by_bytes = {}
        for i, t in enumerate(tokens):
            if i not in control:
                self._by_bytes.setdefault(t, i)
        self._longest = max(len(t) for t in tokens)

    def __call__(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        out, i = [], 0
        while i < len(data):
            for n in range(min(self._longest, len(data) - i), 0, -1):
                tid = self._by_bytes.get(data[i:i + n])
                if tid is not None:
                    out.append(tid)
                    i += n
                    break
            else:
                raise ValueError(f"byte {data[i]:#x} has no token")
        return out


def popcount(mask: bytes) -> int:
    return sum(bin(b).count("1") for b in mask)


def main(folder):
    vocabulary = json.load(open(f"{folder}/vocabulary.json"))
    workloads = json.load(open(f"{folder}/swift-masks.json"))
    control = set(vocabulary["control"])
    eos = vocabulary["eos"][0]
    # Control tokens get llguidance's special-token spelling (0xFF + name) so they never match text.
    tokens = [b"\xff<special_%d>" % i if i in control else bytes.fromhex(h)
              for i, h in enumerate(vocabulary["tokens"])]
    wrapper = llguidance.TokenizerWrapper(VocabularyTokenizer(tokens, eos, control))
    tokenizer = llguidance.LLTokenizer(wrapper, n_vocab=len(tokens), eos_token=eos)

    rows = []
    for w in workloads:
        if w["kind"] == "gbnf":
            grammar = llguidance.grammar_from("gbnf", w["source"])
        else:
            grammar = llguidance.grammar_from("regex", w["source"])
        matcher = llguidance.LLMatcher(tokenizer, grammar, log_level=0)
        if matcher.is_error():
            rows.append((w["name"], None, None, matcher.get_error()))
            continue
        times, counts = [], []
        for token in w["tokens"]:
            start = time.perf_counter()
            mask = matcher.compute_bitmask()
            times.append(time.perf_counter() - start)
            counts.append(popcount(mask))
            if not matcher.consume_token(token):
                rows.append((w["name"], None, None, f"llguidance rejected token {token}: {matcher.get_error()}"))
                break
        else:
            rows.append((w["name"], times, counts, None))

    print(f"vocabulary: {len(tokens)} tokens, Swift trie {vocabulary['trieNodes'][0]} nodes "
          f"(built in {vocabulary['trieBuildMilliseconds'][0]} ms)")
    print()
    print("| workload | masks | swift mean ms | swift median ms | llguidance mean ms | llguidance median ms "
          "| ratio (mean) | same allowed count |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (name, times, counts, error), w in zip(rows, workloads):
        swift = w["maskSeconds"]
        s_mean, s_med = 1e3 * statistics.mean(swift), 1e3 * statistics.median(swift)
        if error:
            print(f"| {name} | {len(swift)} | {s_mean:.3f} | {s_med:.3f} | — | — | — | {error} |")
            continue
        l_mean, l_med = 1e3 * statistics.mean(times), 1e3 * statistics.median(times)
        same = sum(1 for a, b in zip(counts, w["allowedCounts"]) if a == b)
        print(f"| {name} | {len(swift)} | {s_mean:.3f} | {s_med:.3f} | {l_mean:.3f} | {l_med:.3f} "
              f"| {s_mean / l_mean:.1f}× | {same}/{len(counts)} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Benchmarks/results")
