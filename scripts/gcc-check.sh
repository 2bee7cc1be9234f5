#!/usr/bin/env bash
# The GCC correctness build (runtime/interp/INTERPRETER.md): wisp is built
# with clang 19 for speed, and must stay correct under GCC too. Builds into
# build-gcc/ (Release, no benchmarks) and runs every CTest there: unit
# tests, the spec suite, the wabt cross-check and the WASI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${GCC_BUILD_DIR:-build-gcc}
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  CC=gcc CXX=g++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWISP_BUILD_BENCH=OFF
fi
cmake --build "$BUILD_DIR"
log="$BUILD_DIR/ctest.log"
if ! (cd "$BUILD_DIR" && ctest --output-on-failure -j "$(nproc)") > "$log" 2>&1; then
  grep -v "^ *[0-9]*/[0-9]* Test .*Passed" "$log" | tail -n 200
  echo "gcc-check: ctest failed in the GCC build" >&2
  exit 1
fi
tail -n 3 "$log"
