#!/usr/bin/env python3
"""Side-by-side: the Swift sampler core vs numpy doing the same softmax / top-p / draw,
on the same logits, in the same run. Prints µs per token (wall and thread CPU time) and the
Swift/numpy ratio of CPU times.

Usage (from Benchmarks/Sampling): python3 compare.py [--iterations N]
Builds the Swift benchmark in release first. Logits: N(0, 2.5²) with a few peaked entries,
seeded, for vocabularies of 49 152 (SmolLM2) and 262 144 (Gemma 3) entries.
"""
import argparse, json, os, subprocess, sys, tempfile, time
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))

def make_logits(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 2.5, n).astype(np.float32)
    x[rng.integers(0, n, 8)] += 12.0  # a handful of likely tokens, as in a real model
    return x

def numpy_step(x, rng, top_k=0, top_p=1.0, min_p=0.0, temp=1.0):
    x = x.astype(np.float32, copy=True)
    if top_k > 0:
        keep = np.argpartition(-x, top_k)[:top_k]
        mask = np.full_like(x, -np.inf); mask[keep] = x[keep]; x = mask
    if top_p < 1.0:
        p = np.exp(x - x.max()); p /= p.sum()
        order = np.argsort(-p)
        cut = int(np.searchsorted(np.cumsum(p[order]), top_p)) + 1
        mask = np.full_like(x, -np.inf); keep = order[:cut]; mask[keep] = x[keep]; x = mask
    if min_p > 0.0:
        x[x < x.max() + np.log(min_p)] = -np.inf
    if temp != 1.0:
        x = (x - x.max()) / temp
    p = np.exp(x - x.max()); p /= p.sum()
    return int(np.searchsorted(np.cumsum(p), rng.random() * p.sum(), side="right"))

def time_numpy(x, iterations, **kw):
    """Best of 5 rounds: (wall µs, thread-CPU µs) per token."""
    rng = np.random.default_rng(1)
    for _ in range(5): numpy_step(x, rng, **kw)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.thread_time()
        for _ in range(iterations): numpy_step(x, rng, **kw)
        best = min(best, (time.perf_counter() - start) * 1e6 / iterations)
        best_cpu = min(best_cpu, (time.thread_time() - start_cpu) * 1e6 / iterations)
    return best, best_cpu

NUMPY = {
    "default chain (top_k 40; top_p 0.95; min_p 0.05; temp 0.8)": dict(top_k=40, top_p=0.95, min_p=0.05, temp=0.8),
    "softmax + top_p 0.95 + draw": dict(top_p=0.95),
    "softmax + draw": dict(),
}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--package-path", here], check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(here, ".build", "release", "SamplingBenchmark")
    print("wall = best-of-5 wall clock; cpu = thread CPU time (excludes waiting for a core on a loaded machine)")
    print(f"{'configuration':<62} {'vocab':>7} {'swift wall':>10} {'swift cpu':>9} {'numpy wall':>10} {'numpy cpu':>9} {'ratio cpu':>9}")
    for n in (49152, 262144):
        x = make_logits(n, seed=n)
        with tempfile.NamedTemporaryFile(suffix=".f32", delete=False) as f:
            f.write(x.astype("<f4").tobytes()); path = f.name
        try:
            out = subprocess.run([binary, path, str(args.iterations)], check=True, capture_output=True, text=True).stdout
        finally:
            os.unlink(path)
        for line in out.strip().splitlines():
            r = json.loads(line)
            kw = NUMPY.get(r["name"])
            wall, cpu = time_numpy(x, max(20, args.iterations // 4), **kw) if kw is not None else (None, None)
            numpy_text = f"{wall:10.1f} {cpu:9.1f}" if wall else f"{'-':>10} {'-':>9}"
            ratio = f"{r['cpu_us'] / cpu:9.2f}" if cpu else f"{'-':>9}"
            print(f"{r['name']:<62} {n:>7} {r['best_us']:10.1f} {r['cpu_us']:9.1f} {numpy_text} {ratio}")

if __name__ == "__main__":
    sys.exit(main())
