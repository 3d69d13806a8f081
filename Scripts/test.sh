#!/usr/bin/env bash
# The project's test command: every test target, in release mode (the real-model tests run the
# forward pass and are too slow unoptimized). SKIP_MODEL_TESTS=1 skips the tests that need the
# default model; without it they fail when the model is missing (run Scripts/setup.sh). Then the
# official `openai` Python client against `decode serve` (Scripts/test-serve.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build -c release --product decode
swift test -c release "$@"
bash Scripts/test-serve.sh
