#!/usr/bin/env python3
"""Same-run A/B of `decode serve` binaries under 16 concurrent streaming clients.

Starts one server per binary (`PATH` or `PATH@--opt;value;…` for extra serve options), then for
each round and each binary runs the 16 benchmark requests one at a time and then 16 at once,
printing wall tokens/s, the server's CPU time per generated token (from /proc), the ratios, the
load average and, from servers that report it, the batch occupancy per model call (GET /health).
Interleaving the binaries in one run is what makes the comparison fair on a shared machine.

Usage: ab-serve.py OLD/decode,NEW/decode[@--step-threads;1] ROUNDS ['{"regex": "[a-z ]{2000}"}']
The optional JSON object is added to every request: a regex keeps every request generating its
64 tokens in binaries that predate `ignore_eos` ('{"ignore_eos": true}' for newer ones).
"""
import concurrent.futures
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

binaries = sys.argv[1].split(","); rounds = int(sys.argv[2]); EXTRA = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
servers = []
for b in binaries:
    with socket.socket() as p:
        p.bind(("127.0.0.1", 0)); port = p.getsockname()[1]
    path, _, options = b.partition("@")
    argv = [path, "serve", "--port", str(port), "--threads", "2", "--max-batch", "16", "--max-queued", "16"]
    argv += options.split(";") if options else []
    srv = subprocess.Popen(argv, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    servers.append((b, f"http://127.0.0.1:{port}", srv))
for _, base, _ in servers:
    for _ in range(1200):
        try: urllib.request.urlopen(base + "/health", timeout=1).read(); break
        except Exception: time.sleep(0.1)
def cpu(pid):
    with open(f"/proc/{pid}/stat") as f: fl = f.read().rsplit(")", 1)[1].split()
    return (int(fl[11]) + int(fl[12])) / os.sysconf("SC_CLK_TCK")
def post(base, i):
    body = {"prompt": f"Write a short story about a robot named Unit {i}.", "max_tokens": 64, "temperature": 0.8, "seed": i,
            "stream": True, "stream_options": {"include_usage": True}, **EXTRA}
    req = urllib.request.Request(base + "/v1/completions", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    n = 0
    with urllib.request.urlopen(req) as r:
        for line in r:
            if line.startswith(b"data: {"):
                c = json.loads(line[6:])
                if c.get("usage"): n = c["usage"]["completion_tokens"]
    return n
for _, base, _ in servers: post(base, 0)
res = {b: [] for b, _, _ in servers}
for r in range(rounds):
    for b, base, srv in servers:
        c0 = cpu(srv.pid); t0 = time.perf_counter()
        seq = sum(post(base, i) for i in range(16)); t1 = time.perf_counter(); c1 = cpu(srv.pid)
        h0 = json.loads(urllib.request.urlopen(base + "/health").read())
        with concurrent.futures.ThreadPoolExecutor(16) as pool: con = sum(pool.map(lambda i: post(base, i), range(16)))
        t2 = time.perf_counter(); c2 = cpu(srv.pid)
        h1 = json.loads(urllib.request.urlopen(base + "/health").read())
        occ = ""
        if "batch_occupancy" in h1:
            o0 = h0["batch_occupancy"] + [0]*(len(h1["batch_occupancy"])-len(h0["batch_occupancy"]))
            d = {i: a-b_ for i, (a, b_) in enumerate(zip(h1["batch_occupancy"], o0)) if a-b_}
            calls = sum(d.values()); mean = sum(i*n for i, n in d.items())/calls
            occ = f" occ mean {mean:.1f} calls {calls} model_s {h1['model_seconds']-h0['model_seconds']:.2f} step_s {h1['step_seconds']-h0['step_seconds']:.2f} hist {d}"
        row = (seq/(t1-t0), con/(t2-t1), (c1-c0)/seq*1e3, (c2-c1)/con*1e3)
        res[b].append(row)
        print(f"r{r} {os.path.basename(b.split('@')[0])}{'@'+b.split('@')[1] if '@' in b else ''}: seq {row[0]:.1f} tok/s con {row[1]:.1f} tok/s wall x{row[1]/row[0]:.2f} | cpu ms/tok seq {row[2]:.2f} con {row[3]:.2f} cpu x{row[2]/row[3]:.2f} | tokens {seq}/{con} load {os.getloadavg()[0]:.1f}{occ}", flush=True)
for b, rows in res.items():
    print(b, "median wall x%.2f cpu x%.2f" % (statistics.median(r[1]/r[0] for r in rows), statistics.median(r[2]/r[3] for r in rows)))
for _, _, srv in servers: srv.terminate(); srv.wait()
