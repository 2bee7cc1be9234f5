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
# Component seeds (fuzz_component_decode): the sections after the preamble
# (the target puts it in front). A few hand-built ones (types, imports,
# exports, aliases, a nested component, canon, instances), and valid core
# modules of the suite embedded as core-module sections.
mkdir -p "$OUT/components"
python3 - "$OUT" <<'PY'
import glob, os, sys
out = sys.argv[1]
def leb(n):
    b = bytearray()
    while True:
        x = n & 0x7f; n >>= 7
        b.append(x | (0x80 if n else 0))
        if not n: return bytes(b)
def sec(i, body): return bytes([i]) + leb(len(body)) + body
def name(s): return leb(len(s)) + s.encode()
pre = bytes([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])
functype = sec(7, b"\x01\x40\x01" + name("x") + b"\x79\x00\x73")
seeds = {
  "func-import-export": functype + sec(10, b"\x01\x00" + name("f") + b"\x01\x00")
                        + sec(11, b"\x01\x00" + name("g") + b"\x01\x00\x00"),
  "value-types": sec(7, b"\x06\x72\x01" + name("a") + b"\x79" + b"\x71\x02" + name("n") + b"\x00\x00"
                     + name("s") + b"\x01\x73\x00" + b"\x70\x00" + b"\x6f\x02\x79\x78"
                     + b"\x6e\x02" + name("r") + name("w") + b"\x6a\x01\x00\x01\x73"),
  "instance-type": sec(7, b"\x01\x42\x04\x04\x00" + name("res") + b"\x03\x01"
                       + b"\x01\x68\x00" + b"\x01\x40\x01" + name("self") + b"\x01\x01\x00"
                       + b"\x04\x00" + name("[method]res.m") + b"\x01\x02")
                   + sec(10, b"\x01\x00" + name("wasi:x/y@0.2.0") + b"\x05\x00"),
  "nested-outer-alias": functype + sec(4, pre + sec(6, b"\x01\x03\x02\x01\x00")),
  "core-instance-canon": sec(1, bytes([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))
                         + sec(2, b"\x01\x00\x00\x00") + sec(2, b"\x01\x01\x00"),
  "resource": sec(7, b"\x01\x3f\x7f\x00") + sec(8, b"\x01\x02\x00"),
}
# A callable one: a core `add` lifted as add(a: s32, b: s32) -> s32.
core = (bytes([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) + sec(1, b"\x01\x60\x02\x7f\x7f\x01\x7f")
        + sec(3, b"\x01\x00") + sec(7, b"\x01" + name("add") + b"\x00\x00")
        + sec(10, b"\x01\x07\x00\x20\x00\x20\x01\x6a\x0b"))
seeds["lift-add"] = (sec(1, core) + sec(2, b"\x01\x00\x00\x00")
                     + sec(6, b"\x01\x00\x00\x01\x00" + name("add"))
                     + sec(7, b"\x01\x40\x02" + name("a") + b"\x7a" + name("b") + b"\x7a\x00\x7a")
                     + sec(8, b"\x01\x00\x00\x00\x00\x00") + sec(11, b"\x01\x00" + name("add") + b"\x01\x00\x00"))
for k, v in seeds.items():
    open(os.path.join(out, "components", k), "wb").write(v)
for i, path in enumerate(sorted(glob.glob(os.path.join(out, "valid", "*")))[:200]):
    m = open(path, "rb").read()
    open(os.path.join(out, "components", f"core-{i}"), "wb").write(sec(1, m))
PY
# The component tests' own binary (imports, resources, handles).
cp runtime/component/tests/resources.component.wasm "$OUT/components/"
for d in "$OUT"/*/; do echo "  $(basename "$d"): $(ls "$d" | wc -l) files"; done
