#!/usr/bin/env bash
# `cmake --install` of a build into a fresh prefix, then a small C host and
# a small C++ host built out of tree against it, with find_package(wisp)
# and with pkg-config, each running a module's export; the prefix holds the
# wisp command, the C and C++ API's headers and nothing of the runtime's
# internals.
#   install_test.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log"

"$prefix/bin/wisp" --version | grep -q "^wisp "
[ "$(cd "$prefix/include" && find . -type f | sort | tr '\n' ' ')" = "./wasm.h ./wisp.hh " ]  # the public headers alone
printf '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))' \
  > "$work/add.wat"
"$prefix/bin/wisp" parse "$work/add.wat" -o "$work/add.wasm"
printf '(module (import "" "forty" (func $f (result i32))) (func (export "add") (param i32) (result i32) (i32.add (local.get 0) (call $f))))' \
  > "$work/add_import.wat"
"$prefix/bin/wisp" parse "$work/add_import.wat" -o "$work/add_import.wasm"

# find_package(wisp), target wisp::wisp.
cmake -S "$here/host" -B "$work/host-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="${CC:-cc}" -DCMAKE_CXX_COMPILER="${CXX:-c++}" > "$work/host-configure.log"
cmake --build "$work/host-build" > "$work/host-build.log"
[ "$("$work/host-build/host" "$work/add.wasm")" = 42 ]
[ "$("$work/host-build/host_cxx" "$work/add_import.wasm")" = 42 ]

# pkg-config.
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion wisp | grep -q "^0\."
# shellcheck disable=SC2046
"${CC:-cc}" "$here/host/host.c" -o "$work/host-pc" $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs wisp)
[ "$("$work/host-pc" "$work/add.wasm")" = 42 ]
# shellcheck disable=SC2046
"${CXX:-c++}" -std=c++20 "$here/host/host.cc" -o "$work/host-pc-cxx" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs wisp)
[ "$("$work/host-pc-cxx" "$work/add_import.wasm")" = 42 ]
echo "installed into $prefix: wisp, wasm.h, wisp.hh, the libraries, the CMake package and wisp.pc; C and C++ hosts built with find_package and with pkg-config ran"
