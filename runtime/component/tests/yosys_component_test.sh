#!/usr/bin/env bash
# A large real program as a component: Yosys (npm @yowasp/yosys, 30.8 MB,
# a WASI preview 1 command built by others; bench/real/run fetches it)
# adapted by `jco new --wasi-command`, synthesises the same design as its
# core module does under preview 1, and writes the same netlists.
#   yosys_component_test.sh WISP JCO BENCH_REAL_RUN WORKDIR
set -euo pipefail
wisp=$1 jco=$2 real_run=$3 work=$4
fs=$(python3 "$real_run" --fetch-only | tail -n 1)
core=$(dirname "$fs")/yosys.core.wasm
rm -rf "$work" && mkdir -p "$work"
start=$(date +%s)
"$jco" new "$core" --wasi-command -o "$work/yosys.component.wasm"
echo "jco new: $(( $(date +%s) - start )) s"
script="read_verilog /design.v; synth -top top -noabc; write_verilog -noattr /out.v; write_json /out.json; stat"
for how in core component; do
  cp -r "$fs" "$work/$how.fs"
  module=$core
  [ "$how" = core ] || module=$work/yosys.component.wasm
  start=$(date +%s)
  "$wisp" run --dir "$work/$how.fs::/" "$module" -q -p "$script" > "$work/$how.log"
  echo "$how: $(( $(date +%s) - start )) s, $(grep -c . "$work/$how.log") lines of output"
done
for f in out.v out.json; do
  [ -s "$work/core.fs/$f" ]
  cmp "$work/core.fs/$f" "$work/component.fs/$f"
done
cmp "$work/core.log" "$work/component.log"
echo "yosys: the component writes what the core module writes ($(wc -c < "$work/core.fs/out.v") + $(wc -c < "$work/core.fs/out.json") bytes)"
