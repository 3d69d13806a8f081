"""Compares our logits at every reference prompt position with llama.cpp's.

Usage:
  SWIFT_DECODING_LOGITS_DUMP=/tmp/ours.bin swift test -c release \
      --filter ReferenceAgreementTests/dumpLogitsWhenAsked
  python3 Benchmarks/llama-cpp/reference_diff.py /tmp/ours.bin [--llama MODE] [--model PATH]

MODE says what llama.cpp's side is:
  fixture     the top-40 logits of Tests/TransformerTests/Fixtures/logits.json (default)
  batch       llama.cpp run now, each prompt evaluated in one batch (how the fixture was made:
              2 threads, flash attention off, F16 key/value cache)
  one-by-one  llama.cpp run now, one token per call (its own decode path)
  flash       llama.cpp run now, one batch, flash attention on

Prints, per prompt and position, both engines' first choice and top-2 gap, the overlap of
the top-10 sets and the largest |Δ logit| over llama.cpp's top 10; then the totals the
reference tests check (top-1 agreement, worst overlap, max and mean |Δ|).

  python3 Benchmarks/llama-cpp/reference_diff.py --write-continuations OUT_JSON

instead writes llama.cpp's top-10 logits along the first 16 tokens of each reference greedy
continuation with prompt and continuation evaluated in one batch (its prompt path), for the
decode-step test: the reference continuations were generated one token per call (its decode
path), whose F16 attention sums in another order (ggml_vec_dot_f16 rather than tinyBLAS), and
the model turns that last-bit difference into logit differences of up to ~0.2.
"""
import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(ROOT, "Tests", "TransformerTests", "Fixtures", "logits.json")
MODEL = os.path.join(ROOT, ".models", "SmolLM2-135M-Instruct.Q4_1.gguf")


def llama_rows(prompts, mode, model_path):
    """llama.cpp's full logits at every position of every prompt, or None for `fixture`."""
    if mode == "fixture":
        return None
    sys.path.insert(0, HERE)
    import llama_cpp
    import llama_cpp_setup  # noqa: F401  (turns off the extra buffer types)
    model = llama_cpp.Llama(
        model_path, n_threads=2, n_threads_batch=2, n_ctx=2048, n_batch=512, logits_all=True,
        verbose=False, flash_attn=(mode == "flash"))
    rows = []
    for prompt in prompts:
        model.reset()
        if mode == "one-by-one":
            for token in prompt["ids"]:
                model.eval([token])
        else:
            model.eval(prompt["ids"])
        rows.append(np.array(model.scores[:len(prompt["ids"])], dtype=np.float32))
    return rows


def write_continuations(prompts, model_path, out_path, steps=16, top=10):
    """llama.cpp's top logits along each reference continuation, evaluated as one batch."""
    sys.path.insert(0, HERE)
    from llama_cpp_setup import open_model
    model = open_model(model_path, threads=2, logits_all=True)
    out = []
    for prompt in prompts:
        ids, continuation = prompt["ids"], prompt["greedy_continuation"][:steps]
        model.reset()
        model.eval(ids + continuation)
        rows = []
        for k in range(len(continuation)):
            row = np.array(model.scores[len(ids) - 1 + k], dtype=np.float32)
            best = np.argsort(-row, kind="stable")[:top]
            rows.append({"top_ids": [int(i) for i in best], "top_logits": [float(row[i]) for i in best]})
        out.append({"prompt": prompt["prompt"], "continuation": continuation, "steps": rows})
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--write-continuations":
        write_continuations(json.load(open(FIXTURE)), MODEL, sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ours", help="raw Float32 logits written by dumpLogitsWhenAsked")
    parser.add_argument("--llama", default="fixture", choices=["fixture", "batch", "one-by-one", "flash"])
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--reference", default=FIXTURE)
    args = parser.parse_args()

    prompts = json.load(open(args.reference))
    positions = sum(len(p["ids"]) for p in prompts)
    ours = np.fromfile(args.ours, dtype=np.float32)
    if ours.size % positions:
        sys.exit(f"{args.ours}: {ours.size} values do not split into {positions} positions")
    ours = ours.reshape(positions, -1)
    theirs = llama_rows(prompts, args.llama, args.model)

    total = matches = 0
    worst_overlap, worst, sum_diff = 10, 0.0, 0.0
    row = 0
    for p_index, prompt in enumerate(prompts):
        print(f"{prompt['prompt']!r}")
        for pos, expected in enumerate(prompt["positions"]):
            mine = ours[row]
            row += 1
            if theirs is None:
                top_ids = np.array(expected["top_ids"][:10])
                top_vals = np.array(expected["top_logits"][:10], dtype=np.float32)
            else:
                full = theirs[p_index][pos]
                top_ids = np.argsort(-full, kind="stable")[:10]
                top_vals = full[top_ids]
            our_top = np.argsort(-mine, kind="stable")[:10]
            our_gap = float(mine[our_top[0]] - mine[our_top[1]])
            their_gap = float(top_vals[0] - top_vals[1])
            overlap = len(set(our_top.tolist()) & set(top_ids.tolist()))
            diffs = np.abs(mine[top_ids] - top_vals)
            total += 1
            matches += int(our_top[0] == top_ids[0])
            worst_overlap = min(worst_overlap, overlap)
            worst = max(worst, float(diffs.max()))
            sum_diff += float(diffs.sum())
            flag = "" if our_top[0] == top_ids[0] else "  <-- top-1 differs"
            print(f"  {pos:3d}: ours {our_top[0]:6d} (gap {our_gap:.3f})  llama.cpp {top_ids[0]:6d} "
                  f"(gap {their_gap:.3f})  top-10 overlap {overlap:2d}  max|d| {diffs.max():.3f}{flag}")
    print(f"top-1 {matches}/{total} ({100 * matches / total:.1f}%), worst top-10 overlap {worst_overlap}/10, "
          f"max |d logit| {worst:.3f}, mean |d logit| {sum_diff / (10 * total):.3f}")


if __name__ == "__main__":
    main()
