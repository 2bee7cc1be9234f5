#!/usr/bin/env bash
# Builds wisp if needed and runs every test: unit tests, the official spec
# suite under every tier, the wabt cross-check and the WASI testsuite.
# Ends with CTest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
./scripts/build.sh
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" "$@"
