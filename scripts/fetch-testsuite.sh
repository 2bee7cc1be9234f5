#!/usr/bin/env bash
# Fetches the official test suites at the commits wisp is pinned to, for
# machines without ../shared: the core spec .wast files into
# spec-tests/testsuite/{wasm-2.0,wasm-3.0} and the WASI testsuite into
# spec-tests/wasi-testsuite. Needs git and network access to GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC_REPO=https://github.com/WebAssembly/testsuite.git
SPEC_20=a8101597d3c3c660086c3cd1eedee608ff18d3c3   # last 2.0 top level (2025-09-11)
SPEC_30=193e551ff22663995b1ac95dc62344133669e14b   # 3.0 (2026-06-17)
WASI_REPO=https://github.com/WebAssembly/wasi-testsuite.git
WASI_REF=9f80ca35444cfd9e63100725615140a346652e6c  # prod/testsuite-base (2026-08-18)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git clone -q --filter=blob:none --no-checkout "$SPEC_REPO" "$tmp/spec"
for pair in "wasm-2.0:$SPEC_20" "wasm-3.0:$SPEC_30"; do
  dir=${pair%%:*}; rev=${pair#*:}
  git -C "$tmp/spec" checkout -q "$rev"
  mkdir -p "spec-tests/testsuite/$dir"
  cp "$tmp/spec"/*.wast "spec-tests/testsuite/$dir/"
  if [ "$dir" = wasm-3.0 ]; then
    for sub in legacy custom; do
      [ -d "$tmp/spec/$sub" ] && mkdir -p "spec-tests/testsuite/$dir/$sub" &&
        cp -r "$tmp/spec/$sub"/. "spec-tests/testsuite/$dir/$sub/"
    done
  fi
done

git clone -q --filter=blob:none --no-checkout "$WASI_REPO" "$tmp/wasi"
git -C "$tmp/wasi" checkout -q "$WASI_REF"
mkdir -p spec-tests/wasi-testsuite/tests
for lang in assemblyscript c rust; do
  src="$tmp/wasi/tests/$lang/testsuite/wasm32-wasip1"
  [ -d "$src" ] || continue
  mkdir -p "spec-tests/wasi-testsuite/tests/$lang/testsuite"
  cp -r "$src" "spec-tests/wasi-testsuite/tests/$lang/testsuite/"
done
echo "fetched into spec-tests/testsuite and spec-tests/wasi-testsuite"
