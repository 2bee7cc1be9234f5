#!/usr/bin/env bash
# Installs the Debian (bookworm) packages wisp needs to build, test and
# benchmark. Run as root (or with sudo). Safe to re-run.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PACKAGES=(
  build-essential cmake ninja-build ccache python3 git
  libgtest-dev libgmock-dev libbenchmark-dev
  libasmjit-dev
  wabt
  clang-19 lld-19 libclang-rt-19-dev libclang-rt-19-dev-wasm32 wasi-libc
  binaryen
  hyperfine gnuplot-nox nodejs
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
