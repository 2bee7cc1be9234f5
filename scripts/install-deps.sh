#!/usr/bin/env bash
# Installs the Debian (bookworm) packages wisp needs to build, test and
# benchmark. Run as root (or with sudo). Safe to re-run.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PACKAGES=(
  build-essential cmake ninja-build ccache python3 git pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libasmjit-dev
  wabt
  clang-19 lld-19 libclang-rt-19-dev libclang-rt-19-dev-wasm32 wasi-libc
  binaryen
  hyperfine gnuplot-nox nodejs
  libevent-dev libmicrohttpd-dev curl wrk
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages for the component tests (issue 14): jco adapts core modules
# into components and runs them under node; componentize-js makes a
# JavaScript component. Installed once into a cache outside the clone
# ($WISP_NPM_PREFIX, default ~/.cache/wisp/npm), where CMake looks for it.
NPM_PREFIX=${WISP_NPM_PREFIX:-$HOME/.cache/wisp/npm}
JCO_VERSION=1.35.0
COMPONENTIZE_JS_VERSION=0.22.0
if [ -x "$NPM_PREFIX/node_modules/.bin/jco" ] &&
   grep -q "\"version\": \"$JCO_VERSION\"" "$NPM_PREFIX/node_modules/@bytecodealliance/jco/package.json" &&
   grep -q "\"version\": \"$COMPONENTIZE_JS_VERSION\"" \
     "$NPM_PREFIX/node_modules/@bytecodealliance/componentize-js/package.json" 2> /dev/null; then
  :
elif command -v npm > /dev/null; then
  mkdir -p "$NPM_PREFIX"
  npm install --prefix "$NPM_PREFIX" --no-audit --no-fund --loglevel=error \
      "@bytecodealliance/jco@$JCO_VERSION" "@bytecodealliance/componentize-js@$COMPONENTIZE_JS_VERSION" \
      > /dev/null ||
    echo "install-deps: npm install of jco failed: the jco component test will not be configured" >&2
else
  echo "install-deps: no npm: the jco component test will not be configured" >&2
fi

# A newer wasi-libc for the C programs the component tests adapt with jco
# (Debian's, from 2022, breaks inside adapted components once malloc grows
# memory): the wasm32-wasip1 sysroot inside npm's @yowasp/clang (its
# llvm-resources.tar), C headers and libraries only, in
# $WISP_P2_SYSROOT (default ~/.cache/wisp/wasi-sysroot).
P2_SYSROOT=${WISP_P2_SYSROOT:-$HOME/.cache/wisp/wasi-sysroot}
YOWASP_CLANG_VERSION=22.0.0-git20542-10
if [ "$(cat "$P2_SYSROOT/.version" 2> /dev/null)" = "$YOWASP_CLANG_VERSION" ]; then
  :
elif command -v npm > /dev/null; then
  tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent "@yowasp/clang@$YOWASP_CLANG_VERSION" > /dev/null &&
      tar xzf yowasp-clang-*.tgz package/gen/llvm-resources.tar && mkdir sysroot &&
      tar xf package/gen/llvm-resources.tar -C sysroot include/wasm32-wasip1 lib/wasm32-wasip1 \
          lib/wasm32-unknown-wasip1/libclang_rt.builtins.a); then
    rm -rf "$P2_SYSROOT"
    mkdir -p "$(dirname "$P2_SYSROOT")"
    mv "$tmp/sysroot" "$P2_SYSROOT"
    echo "$YOWASP_CLANG_VERSION" > "$P2_SYSROOT/.version"
  else
    echo "install-deps: fetching @yowasp/clang's sysroot failed: the jco component tests will not be configured" >&2
  fi
  rm -rf "$tmp"
fi
