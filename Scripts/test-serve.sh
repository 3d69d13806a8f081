#!/usr/bin/env bash
# Runs the official `openai` Python client against `decode serve` (Scripts/test-serve.py): starts
# the server in the background on a free port, waits for /health, runs the client tests, and
# always stops the server. Needs a release build of `decode` and the PyPI packages openai and
# jsonschema (Scripts/setup.sh installs them). SKIP_MODEL_TESTS=1 skips it (it needs the model).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${SKIP_MODEL_TESTS:-0}" = "1" ]; then
    echo "test-serve: skipped (SKIP_MODEL_TESTS=1)"
    exit 0
fi
decode=.build/release/decode
[ -x "$decode" ] || swift build -c release --product decode
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="$(mktemp)"
"$decode" serve --host 127.0.0.1 --port "$port" --max-context 512 --max-batch 16 --max-queued 4 "$@" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
    if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "test-serve: the server exited:"; cat "$log"; exit 1
    fi
    sleep 0.2
done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || { echo "test-serve: no /health after 120 s:"; cat "$log"; exit 1; }
status=0
python3 Scripts/test-serve.py "http://127.0.0.1:$port" "$server" || status=$?
if [ "$status" -ne 0 ]; then echo "test-serve: server log:"; cat "$log"; fi
exit "$status"
