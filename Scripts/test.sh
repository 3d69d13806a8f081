#!/usr/bin/env bash
# The project's test command: every test target, in release mode (the real-model tests run the
# forward pass and are too slow unoptimized). SKIP_MODEL_TESTS=1 skips the tests that need the
# default model; without it they fail when the model is missing (run Scripts/setup.sh). Then the
# official `openai` Python client against `decode serve` (Scripts/test-serve.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# One release build of everything (the decode binary the CLI tests run, and the tests), then the
# tests without rebuilding: `swift build` then `swift test` would compile every module twice.
swift build -c release --build-tests
swift test -c release --skip-build "$@"
bash Scripts/test-serve.sh
