#!/usr/bin/env bash
# Makes the fuzzers' seed corpora and dictionaries; nothing of it is
# committed, since this script recreates it in seconds.
#
#   fuzz/make-corpus.sh BUILD_DIR [OUT_DIR]     (OUT_DIR: BUILD_DIR/fuzz-corpus)
#
# BUILD_DIR is a WISP_BUILD_FUZZ build (it has bin/wisp-fuzz-seeds). Seeds
# come from every module of the spec suite ($WISP_TESTSUITE, else
# spec-tests/testsuite, else ../shared/testsuite, as CMake looks), split
# into text/, binary/ and valid/, plus generator recipes (recipes/) and,
# when binaryen's wasm-opt is installed, modules made by `wasm-opt -ttf`
# from random bytes (ttf/). See fuzz/README.md for which target reads which.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:?usage: fuzz/make-corpus.sh BUILD_DIR [OUT_DIR]}
OUT=${2:-$BUILD_DIR/fuzz-corpus}
TTF_MODULES=${TTF_MODULES:-200}

suite=""
for d in "${WISP_TESTSUITE:-}" spec-tests/testsuite ../shared/testsuite; do
  if [ -n "$d" ] && [ -d "$d/wasm-2.0" ]; then suite=$d; break; fi
done
rm -rf "$OUT"
mkdir -p "$OUT"
if [ -n "$suite" ]; then
  # wasm-3.0 scripts add more text to chew on; modules using 3.0 features
  # land in text/ and binary/ only (they do not validate as 2.0).
  dirs=("$suite/wasm-2.0")
  [ -d "$suite/wasm-3.0" ] && dirs+=("$suite/wasm-3.0")
  "$BUILD_DIR/bin/wisp-fuzz-seeds" "$OUT" "${dirs[@]}"
else
  echo "make-corpus: no spec suite found; recipes and dictionaries only" >&2
  mkdir -p "$OUT/empty"
  "$BUILD_DIR/bin/wisp-fuzz-seeds" "$OUT" "$OUT/empty" || true
fi

# binaryen's translate-to-fuzz turns random bytes into a valid module; with
# only the 2.0 features enabled most of them validate in wisp too.
mkdir -p "$OUT/ttf"
if command -v wasm-opt > /dev/null; then
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  for i in $(seq 1 "$TTF_MODULES"); do
    # Seeded pseudo-random input, so the corpus is the same on every machine.
    python3 -c "import random,sys; random.seed($i); sys.stdout.buffer.write(random.randbytes(4096))" > "$tmp"
    wasm-opt "$tmp" -ttf -o "$OUT/ttf/ttf-$i.wasm" --enable-bulk-memory --enable-reference-types \
      --enable-simd --enable-multivalue --enable-sign-ext --enable-nontrapping-float-to-int \
      --enable-mutable-globals 2> /dev/null || true
  done
fi
for d in "$OUT"/*/; do echo "  $(basename "$d"): $(ls "$d" | wc -l) files"; done
