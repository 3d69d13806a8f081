#!/usr/bin/env python3
"""Writes llama.cpp's logits for Gemma 3 270M Q4_K_M (Scripts/fetch-gemma3.sh) to
Tests/TransformerTests/Fixtures/gemma3-270m.json: for a few prompts, their token ids (llama.cpp's
tokenizer, BOS included), the top-10 logits after every prompt position, and 8 greedy tokens.

Needs llama-cpp-python 0.3.36 (opened as Benchmarks/llama-cpp/llama_cpp_setup.py does).
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "llama-cpp"))
from llama_cpp_setup import open_model  # noqa: E402

MODEL = os.path.join(ROOT, ".models", "gemma-3-270m-q4_k_m.gguf")
FIXTURE = os.path.join(ROOT, "Tests", "TransformerTests", "Fixtures", "gemma3-270m.json")
PROMPTS = [
    "The capital of France is",
    "def fibonacci(n):\n    if n < 2:\n        return n\n    return",
    "Once upon a time, in a small village by the sea, there lived",
]


def main():
    model = open_model(MODEL, threads=2, n_ctx=512, logits_all=True)
    out = []
    for prompt in PROMPTS:
        ids = model.tokenize(prompt.encode(), add_bos=True, special=False)
        model.reset()
        model.eval(ids)
        positions = []
        for row in np.array(model.scores[: len(ids)], dtype=np.float32):
            top = np.argsort(-row, kind="stable")[:10]
            positions.append({"top_ids": [int(i) for i in top], "top_logits": [round(float(row[i]), 4) for i in top]})
        greedy = []
        for _ in range(8):
            token = int(np.argmax(np.array(model.scores[model.n_tokens - 1], dtype=np.float32)))
            greedy.append(token)
            model.eval([token])
        out.append({"prompt": prompt, "ids": ids, "positions": positions, "greedy_continuation": greedy})
    with open(FIXTURE, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"gemma 3 reference: {FIXTURE}")


if __name__ == "__main__":
    main()
