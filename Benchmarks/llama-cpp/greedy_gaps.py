"""Writes llama.cpp's top-2 logit gap at each step of the reference greedy continuations.

Usage: python3 Benchmarks/llama-cpp/greedy_gaps.py REFERENCE_LOGITS_JSON MODEL OUT_JSON

The continuation is replayed one token at a time (as it was generated), checking that
llama.cpp's greedy choice is the reference token at every step.
"""
import json
import sys

import numpy as np

from llama_cpp_setup import open_model


def main():
    reference, model_path, out_path = sys.argv[1:4]
    prompts = json.load(open(reference))
    model = open_model(model_path, threads=2, n_ctx=512, logits_all=True)
    out = []
    for prompt in prompts:
        model.reset()
        model.eval(prompt["ids"])
        gaps = []
        for token in prompt["greedy_continuation"]:
            row = np.array(model.scores[model.n_tokens - 1])
            assert int(np.argmax(row)) == token
            best = np.sort(row)[::-1]
            gaps.append(round(float(best[0] - best[1]), 5))
            model.eval([token])
        out.append({"prompt": prompt["prompt"], "greedy_top2_gaps": gaps})
    json.dump(out, open(out_path, "w"), indent=1)


if __name__ == "__main__":
    main()
