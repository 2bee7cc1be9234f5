#!/usr/bin/env bash
# ASan+UBSan (clang-19) build of wisp with the libFuzzer targets; runs every
# CTest there (unit tests, the spec suite, fuzz regression replays and smoke
# runs, the `wisp run` limit flags), then each fuzz target for FUZZ_SECONDS
# (default 60) from the seed corpus (fuzz/make-corpus.sh). Any test failure
# or fuzzer finding fails the script; a finding's input is left in
# $BUILD_DIR/fuzz-artifacts/<target>/.
#
#   scripts/sanitize.sh                  # build-fuzz/, 60 s per target
#   FUZZ_SECONDS=600 scripts/sanitize.sh # the 10-minute runs of fuzz/README.md
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${SANITIZE_BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
start=$(date +%s)

# ccache: with -g it hashes the working directory unless told not to, and
# CI builds in a fresh clone each time.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  CC=clang-19 CXX=clang++-19 cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWISP_BUILD_FUZZ=ON -DWISP_SANITIZE=ON -DWISP_BUILD_BENCH=OFF
fi
cmake --build "$BUILD_DIR"
built=$(date +%s)

# halt_on_error: the first report fails the run. abort_on_error gives a
# core-style exit that ctest and libFuzzer both report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p "$BUILD_DIR/fuzz-artifacts"
if ! (cd "$BUILD_DIR" && ctest --output-on-failure -j "$(nproc)") > "$BUILD_DIR/fuzz-artifacts/ctest.log" 2>&1; then
  grep -v "^ *[0-9]*/[0-9]* Test .*Passed" "$BUILD_DIR/fuzz-artifacts/ctest.log" | tail -n 300
  echo "sanitize: ctest failed under ASan+UBSan" >&2
  exit 1
fi
tail -n 12 "$BUILD_DIR/fuzz-artifacts/ctest.log"
tested=$(date +%s)

fuzz/make-corpus.sh "$BUILD_DIR"
C=$BUILD_DIR/fuzz-corpus
# target : dictionary : seed directories
runs=(
  "fuzz_decode_validate:wasm.dict:binary valid ttf"
  "fuzz_text:wat.dict:text"
  "fuzz_roundtrip:wat.dict:text valid"
  "fuzz_instantiate_run::recipes valid ttf"
  "fuzz_differential::recipes valid ttf"
  "fuzz_component_decode::components"
)
for run in "${runs[@]}"; do
  IFS=: read -r target dict seeds <<< "$run"
  work=$BUILD_DIR/fuzz-work/$target
  art=$BUILD_DIR/fuzz-artifacts/$target
  mkdir -p "$work" "$art"
  args=(-max_total_time="$FUZZ_SECONDS" -timeout=20 -rss_limit_mb=2560 -max_len=65536
        -print_final_stats=1 -artifact_prefix="$art/")
  [ -n "$dict" ] && args+=(-dict="$C/$dict")
  dirs=("$work")
  for s in $seeds; do dirs+=("$C/$s"); done
  echo "== $target: ${FUZZ_SECONDS}s"
  if ! "$BUILD_DIR/bin/$target" "${args[@]}" "${dirs[@]}" > "$art/log" 2>&1; then
    tail -n 60 "$art/log"
    echo "sanitize: $target found a bug; input in $art/" >&2
    exit 1
  fi
  grep -E "DONE|stat::number_of_executed_units|stat::peak_rss_mb" "$art/log" || true
done
end=$(date +%s)
echo "fuzz: ${#runs[@]} passed, 0 failed"
echo "sanitize: build $((built - start)) s, ctest $((tested - built)) s, fuzzing $((end - tested)) s"
