#!/usr/bin/env python3
"""Writes tiny random-weight GGUF models of every architecture the runtime supports, and
llama.cpp's logits for them.

Each model has 3-4 layers, width 64, a 384-token SentencePiece-style vocabulary (the tokenizer
does not matter: the tests feed token ids) and seeded random weights stored as F32, F16, Q8_0
or Q4_0. The models go to the git-ignored .cache/tiny-models/ (deterministic: the same bytes on
every run); with --reference, llama-cpp-python 0.3.36 evaluates fixed token sequences on them
and the top logits at every position go to Tests/TransformerTests/Fixtures/tiny-models.json,
which is committed.

    python3 Scripts/make-tiny-models.py              # the models only (what the tests need)
    python3 Scripts/make-tiny-models.py --reference  # and the fixture (needs llama-cpp-python)

Needs the PyPI package `gguf` (pip install gguf).
"""
import argparse
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".cache", "tiny-models")
FIXTURE = os.path.join(ROOT, "Tests", "TransformerTests", "Fixtures", "tiny-models.json")
VOCAB = 384
CONTEXT = 64
WIDTH = 64
TOP = 16

# name: (general.architecture, layers, heads, kv heads, head dim, feed-forward, matrix type, extras)
MODELS = {
    "llama": dict(arch="llama", layers=3, heads=4, kv=2, head=16, ff=128, type=T.Q8_0, tied=True),
    "llama3": dict(arch="llama", layers=3, heads=4, kv=2, head=16, ff=128, type=T.F16, tied=False,
                   rope_base=500000.0, rope_freqs=True),
    "qwen2": dict(arch="qwen2", layers=3, heads=4, kv=2, head=16, ff=128, type=T.F16, tied=False, qkv_bias=True, output_bias=True,
                  rope_base=1000000.0),
    "qwen3": dict(arch="qwen3", layers=3, heads=4, kv=2, head=32, ff=128, type=T.Q4_0, tied=True, qk_norm=True,
                  rope_base=1000000.0),
    # gemma3's longer context lets tests run past the positions its sliding-window layers keep.
    "gemma3": dict(arch="gemma3", layers=4, heads=4, kv=2, head=32, ff=128, type=T.Q8_0, tied=True, qk_norm=True,
                   post_norms=True, rope_base=1000000.0, window=6, pattern=2, context=512),
    "phi3": dict(arch="phi3", layers=3, heads=4, kv=4, head=16, ff=96, type=T.Q8_0, tied=False, fused=True),
    # Context extension: YaRN in llama's pairing; Phi-3's LongRoPE
    # with its long factors (context 64 > original 16) and with its short ones (256 <= 256, and
    # llama.cpp's context of 64 rounds up to 256), the first with
    # partial rotary dimensions (llama.cpp refuses them for llama).
    "llama-yarn": dict(arch="llama", layers=3, heads=4, kv=2, head=16, ff=128, type=T.Q8_0, tied=True,
                       yarn=(4.0, 16)),
    "phi3-long": dict(arch="phi3", layers=3, heads=4, kv=4, head=16, ff=96, type=T.Q8_0, tied=False, fused=True,
                      rope_dims=12, longrope=(16, 1.2)),
    "phi3-short": dict(arch="phi3", layers=3, heads=4, kv=4, head=16, ff=96, type=T.Q8_0, tied=False, fused=True,
                       context=256, longrope=(256, 1.2)),
}

# Token sequences evaluated for the fixture (ids below VOCAB; longer than the gemma3 window).
SEQUENCES = [
    [1, 300, 17, 42, 260, 99, 381, 5, 77, 200, 13, 150, 290, 64, 8, 333, 120, 271, 45, 360],
    [1, 259, 260, 261, 262, 259, 260, 261, 262, 10, 11, 12],
    [7, 7, 7, 380, 2, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168],
]


def vocabulary(writer):
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    tokens += [f"\u2581w{i}" for i in range(VOCAB - len(tokens))]
    types = [2, 3, 3] + [6] * 256 + [1] * (VOCAB - 259)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * 259 + [-float(i) for i in range(VOCAB - 259)])
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(False)


def write_model(name, spec):
    rng = np.random.default_rng(sum(map(ord, name)))
    arch = spec["arch"]
    heads, kv, head, ff, layers = spec["heads"], spec["kv"], spec["head"], spec["ff"], spec["layers"]
    path = os.path.join(CACHE, f"{name}.gguf")
    writer = gguf.GGUFWriter(path, arch)
    # Not the architecture's name: llama.cpp sets token attributes by model name ("phi3" looks up
    # tokens this vocabulary lacks).
    writer.add_name(f"tiny-model-{sorted(MODELS).index(name)}")
    writer.add_block_count(layers)
    writer.add_context_length(spec.get("context", CONTEXT))
    writer.add_embedding_length(WIDTH)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv)
    writer.add_key_length(head)
    writer.add_value_length(head)
    rope_dims = spec.get("rope_dims", head)
    writer.add_rope_dimension_count(rope_dims)
    if "yarn" in spec:
        writer.add_rope_scaling_type(gguf.RopeScalingType.YARN)
        writer.add_rope_scaling_factor(spec["yarn"][0])
        writer.add_rope_scaling_orig_ctx_len(spec["yarn"][1])
    if "longrope" in spec:
        writer.add_rope_scaling_orig_ctx_len(spec["longrope"][0])
        writer.add_rope_scaling_attn_factors(spec["longrope"][1])
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_rope_freq_base(spec.get("rope_base", 10000.0))
    if "window" in spec:
        writer.add_sliding_window(spec["window"])
        writer.add_uint32(f"{arch}.attention.sliding_window_pattern", spec["pattern"])
        writer.add_float32(f"{arch}.rope.freq_base_swa", 10000.0)
    vocabulary(writer)

    def matrix(tensor_name, rows, columns, qtype=spec["type"]):
        data = (rng.standard_normal((rows, columns)) / np.sqrt(columns)).astype(np.float32)
        if qtype == T.F32:
            writer.add_tensor(tensor_name, data)
        elif qtype == T.F16:
            writer.add_tensor(tensor_name, data.astype(np.float16))
        else:
            writer.add_tensor(tensor_name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)

    def vector(tensor_name, count, center=1.0, spread=0.1):
        writer.add_tensor(tensor_name, (center + spread * rng.standard_normal(count)).astype(np.float32))

    # Small embeddings, so that a tied output head does not just echo the input token (Gemma scales
    # them up by sqrt(width)).
    scale = 0.25 / (np.sqrt(WIDTH) if arch == "gemma3" else 1.0)
    embedding = (scale * rng.standard_normal((VOCAB, WIDTH))).astype(np.float32)
    writer.add_tensor("token_embd.weight", gguf.quants.quantize(embedding, T.Q8_0),
                      raw_dtype=T.Q8_0)
    vector("output_norm.weight", WIDTH)
    if not spec["tied"]:
        matrix("output.weight", VOCAB, WIDTH)
    if spec.get("rope_freqs"):
        writer.add_tensor("rope_freqs.weight", np.linspace(1, 8, rope_dims // 2).astype(np.float32))
    if "longrope" in spec:
        writer.add_tensor("rope_factors_long.weight", np.linspace(1, 6, rope_dims // 2).astype(np.float32))
        writer.add_tensor("rope_factors_short.weight", np.linspace(1, 1.5, rope_dims // 2).astype(np.float32))
    q, k = heads * head, kv * head
    for layer in range(layers):
        p = f"blk.{layer}."
        vector(p + "attn_norm.weight", WIDTH)
        if spec.get("fused"):
            matrix(p + "attn_qkv.weight", q + 2 * k, WIDTH)
        else:
            matrix(p + "attn_q.weight", q, WIDTH)
            matrix(p + "attn_k.weight", k, WIDTH)
            matrix(p + "attn_v.weight", k, WIDTH)
        if spec.get("qkv_bias"):
            vector(p + "attn_q.bias", q, 0.0, 0.5)
            vector(p + "attn_k.bias", k, 0.0, 0.5)
            vector(p + "attn_v.bias", k, 0.0, 0.5)
        if spec.get("qk_norm"):
            vector(p + "attn_q_norm.weight", head)
            vector(p + "attn_k_norm.weight", head)
        matrix(p + "attn_output.weight", WIDTH, q)
        if spec.get("post_norms"):
            vector(p + "post_attention_norm.weight", WIDTH)
            vector(p + "post_ffw_norm.weight", WIDTH)
        vector(p + "ffn_norm.weight", WIDTH)
        if spec.get("fused"):
            matrix(p + "ffn_up.weight", 2 * ff, WIDTH)
        else:
            matrix(p + "ffn_gate.weight", ff, WIDTH)
            matrix(p + "ffn_up.weight", ff, WIDTH)
        matrix(p + "ffn_down.weight", WIDTH, ff)
    if spec.get("output_bias"):
        vector("output.bias", VOCAB, 0.0, 0.5)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def reference(paths):
    sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "llama-cpp"))
    from llama_cpp_setup import open_model

    out = {}
    for name, path in paths.items():
        model = open_model(path, threads=2, n_ctx=CONTEXT, logits_all=True)
        sequences = []
        for ids in SEQUENCES:
            model.reset()
            model.eval(ids)
            positions = []
            for row in np.array(model.scores[: len(ids)], dtype=np.float32):
                top = np.argsort(-row, kind="stable")[:TOP]
                positions.append({"top_ids": [int(i) for i in top],
                                  "top_logits": [round(float(row[i]), 5) for i in top]})
            sequences.append({"ids": ids, "positions": positions})
        out[name] = sequences
        del model
    with open(FIXTURE, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"reference logits: {FIXTURE}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", action="store_true", help="also write llama.cpp's logits to the fixture")
    args = parser.parse_args()
    os.makedirs(CACHE, exist_ok=True)
    paths = {name: write_model(name, spec) for name, spec in MODELS.items()}
    print(f"tiny models: {CACHE}")
    if args.reference:
        reference(paths)


if __name__ == "__main__":
    main()
