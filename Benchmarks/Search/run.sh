#!/usr/bin/env bash
# Builds and runs the search benchmark in release on the default model (one command, one run).
# Usage: bash Benchmarks/Search/run.sh [--rounds 3] [--tokens 32] [--threads N] [--model PATH]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
swift build -c release --product SearchBenchmark >&2
echo "uptime before: $(uptime)" >&2
exec .build/release/SearchBenchmark "$@"
