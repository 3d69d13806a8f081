#!/usr/bin/env python3
"""Side-by-side mask timing: swift-decoding's constraints vs llguidance, same vocabulary, same
token sequences.

Reads what the Swift side wrote (`swift-masks.json`, `vocabulary.json`, see
Tests/ConstraintsTests/MaskBenchmark.swift), builds an llguidance tokenizer from the very same
token bytes, replays each workload's tokens through an `LLMatcher` timing `compute_bitmask()`
at every position, and prints a table of mean/median mask times, their ratio, and how often
the two engines allowed the same number of tokens.

With `--awrs`, reads instead what `AWRSMeasure` wrote (`awrs-table.json`, `vocabulary.json`):
for each constraint, replays the tokens AWRS generated through llguidance timing every
`compute_bitmask()`, and prints the one table of the AWRS benchmark — checks and constraint time
per token for AWRS and LCD, tokens/s for unconstrained sampling, AWRS and LCD, and llguidance's
mask time on the same constraint and vocabulary.

Usage: python3 llguidance_compare.py [--awrs] RESULTS_DIR
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


def load_tokenizer(folder):
    """llguidance's tokenizer over the vocabulary the Swift side wrote, and the control tokens."""
    vocabulary = json.load(open(f"{folder}/vocabulary.json"))
    control = set(vocabulary["control"])
    eos = vocabulary["eos"][0]
    # Control tokens get llguidance's special-token spelling (0xFF + name) so they never match text.
    tokens = [b"\xff<special_%d>" % i if i in control else bytes.fromhex(h)
              for i, h in enumerate(vocabulary["tokens"])]
    wrapper = llguidance.TokenizerWrapper(VocabularyTokenizer(tokens, eos, control))
    return llguidance.LLTokenizer(wrapper, n_vocab=len(tokens), eos_token=eos), control, vocabulary, len(tokens)


def mask_times(tokenizer, kind, source, tokens, control):
    """llguidance's `compute_bitmask()` time before each token of `tokens` (control tokens end
    the replay after their mask), or an error string."""
    matcher = llguidance.LLMatcher(tokenizer, llguidance.grammar_from(kind, source), log_level=0)
    if matcher.is_error():
        return None, matcher.get_error()
    times = []
    for token in tokens:
        start = time.perf_counter()
        matcher.compute_bitmask()
        times.append(time.perf_counter() - start)
        if token in control:
            break
        if not matcher.consume_token(token):
            return times, f"llguidance rejected token {token} after {len(times)} masks"
    return times, None


def awrs_table(folder):
    tokenizer, control, _, n_vocab = load_tokenizer(folder)
    rows = json.load(open(f"{folder}/awrs-table.json"))
    print(f"vocabulary: {n_vocab} tokens; µs per generated token; tok/s end to end (prefill excluded)")
    print()
    print("| constraint | AWRS checks/token | AWRS constraint µs | LCD mask µs | llguidance mask µs "
          "| LCD / AWRS constraint time | tok/s plain | tok/s AWRS | tok/s LCD | AWRS / plain |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    notes = []
    for r in rows:
        times, error = mask_times(tokenizer, r["kind"], r["source"], r["awrsTokens"], control)
        if error:
            notes.append(f"- {r['name']}: {error}")
        ll = f"{1e6 * statistics.mean(times):.0f}" if times else "—"
        awrs, lcd = r["awrsConstraintMicroseconds"], r["lcdConstraintMicroseconds"]
        print(f"| {r['name']} | {r['awrsChecksPerToken']:.2f} | {awrs:.1f} | {lcd:.0f} | {ll} "
              f"| {lcd / max(awrs, 1e-3):.0f}× | {r['plainTokensPerSecond']:.1f} | {r['awrsTokensPerSecond']:.1f} "
              f"| {r['lcdTokensPerSecond']:.1f} | {r['awrsTokensPerSecond'] / r['plainTokensPerSecond']:.2f} |")
    print()
    print("Outside the model (µs/token: sampling, masks, checks) plain / AWRS / LCD, and the AWRS / plain")
    print("speed those costs imply with the plain runs' model time per token (less noisy than tok/s):")
    for r in rows:
        model = r["plainModelMicroseconds"]
        implied = (model + r["plainOutsideModelMicroseconds"]) / (model + r["awrsOutsideModelMicroseconds"])
        print(f"- {r['name']}: {r['plainOutsideModelMicroseconds']:.0f} / {r['awrsOutsideModelMicroseconds']:.0f} "
              f"/ {r['lcdOutsideModelMicroseconds']:.0f} (model {model:.0f}; implied AWRS / plain {implied:.2f}); "
              f"AWRS {len(r['awrsTokens'])} tokens, "
              f"Σ log w = {r['awrsLogWeight']:.2f}: {json.dumps(r['awrsText'], ensure_ascii=False)}")
    for note in notes:
        print(note)


def main(folder):
    workloads = json.load(open(f"{folder}/swift-masks.json"))
    tokenizer, control, vocabulary, n_vocab = load_tokenizer(folder)

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
            # The thread's CPU time (as the Swift side: the machine is shared). One computation per
            # position: llguidance answers a repeated compute_bitmask() at the same state from a
            # cache, so a least-of-repeats would time the cache.
            start = time.thread_time()
            mask = matcher.compute_bitmask()
            times.append(time.thread_time() - start)
            counts.append(popcount(mask))
            if not matcher.consume_token(token):
                rows.append((w["name"], None, None, f"llguidance rejected token {token}: {matcher.get_error()}"))
                break
        else:
            rows.append((w["name"], times, counts, None))

    print(f"vocabulary: {n_vocab} tokens, Swift trie {vocabulary['trieNodes'][0]} nodes "
          f"(built in {vocabulary['trieBuildMilliseconds'][0]} ms)")
    print()
    print("CPU time per mask (Swift: least of CONSTRAINT_BENCHMARK_REPEATS; llguidance: one computation); 'before' = the previous computation in the same run: "
          "regexes through whole-prefix PCRE2 partial matching (RegexConstraint engine .pcre2)")
    print()
    print("| workload | masks | swift mean ms | swift median ms | llguidance mean ms | llguidance median ms "
          "| ratio (mean) | before mean ms | before ratio (mean) | via matcher (cached by state) mean ms | via matcher ratio "
          "| same allowed count |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (name, times, counts, error), w in zip(rows, workloads):
        swift = w["maskSeconds"]
        s_mean, s_med = 1e3 * statistics.mean(swift), 1e3 * statistics.median(swift)
        if error:
            print(f"| {name} | {len(swift)} | {s_mean:.3f} | {s_med:.3f} | — | — | — | — | — | — | — | {error} |")
            continue
        l_mean, l_med = 1e3 * statistics.mean(times), 1e3 * statistics.median(times)
        same = sum(1 for a, b in zip(counts, w["allowedCounts"]) if a == b)
        before = w.get("beforeMaskSeconds") or []
        b_mean = f"{1e3 * statistics.mean(before):.3f}" if before else "—"
        b_ratio = f"{statistics.mean(before) / statistics.mean(times):.1f}×" if before else "—"
        # ConstraintMask: the matcher's mask (cached by state in the TokenConstraint) applied to a row.
        via = w.get("processorSeconds") or []
        v_mean = f"{1e3 * statistics.mean(via):.3f}" if via else "—"
        v_ratio = f"{statistics.mean(via) / statistics.mean(times):.2f}×" if via else "—"
        print(f"| {name} | {len(swift)} | {s_mean:.3f} | {s_med:.3f} | {l_mean:.3f} | {l_med:.3f} "
              f"| {s_mean / l_mean:.2f}× | {b_mean} | {b_ratio} | {v_mean} | {v_ratio} | {same}/{len(counts)} |")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments and arguments[0] == "--awrs":
        awrs_table(arguments[1] if len(arguments) > 1 else "Benchmarks/results/awrs")
    else:
        main(arguments[0] if arguments else "Benchmarks/results")
