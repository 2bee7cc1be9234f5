#!/usr/bin/env bash
# Components made by jco: a WASI command adapted from a C program
# (hello_c.wasm, built by bench/CMakeLists.txt), read by wisp (the
# decoder's test on it, `wisp validate`, `wisp inspect`) and run; and
# exports.wat parsed to binary, whose exports `wisp run --invoke` calls.
#   jco_command_test.sh JCO WISP RUNTIME_TESTS HELLO_C_WASM WORKDIR ARGS_ENV_WASM
set -euo pipefail
jco=$1 wisp=$2 tests=$3 core=$4 work=$5 args_env=$6
comp=$work/hello.component.wasm
"$jco" new "$core" --wasi-command -o "$comp"
WISP_TEST_COMPONENT=$comp "$tests" --gtest_filter=ComponentDecoder.AWasiCommandFromJco
"$wisp" validate "$comp"
out=$("$wisp" inspect "$comp")
grep -q "^import wasi:cli/stdout@0\.2\.[0-9]*: instance {" <<< "$out"
grep -q "get-stdout: func() -> own<output-stream>" <<< "$out"
grep -q "^export wasi:cli/run@0\.2\.[0-9]*: " <<< "$out"
# It runs (wasi:cli/run through wisp's WASI 0.2) and prints what the core
# module prints under WASI preview 1.
[ "$("$wisp" run "$comp")" = "$("$wisp" run "$core")" ]
# Arguments, environment, stdin, stdout, stderr and the exit status (3 under
# preview 1; wasi:cli/exit carries only ok or err: 1).
"$jco" new "$args_env" --wasi-command -o "$work/args_env.component.wasm"
set +e
input=$(printf 'first line\nsecond line, longer than one 64-byte read of the program: %070d\n' 0)
"$wisp" run --env GREETING=hi "$args_env" one two <<< "$input" > "$work/core.out" 2> "$work/core.err"
core_code=$?
"$wisp" run --env GREETING=hi "$work/args_env.component.wasm" one two <<< "$input" > "$work/comp.out" \
  2> "$work/comp.err"
comp_code=$?
set -e
[ "$core_code" = 3 ] && [ "$comp_code" = 1 ]
cmp "$work/core.out" "$work/comp.out"
cmp "$work/core.err" "$work/comp.err"
# A component with exports that need no imports (exports.wat, made binary
# by jco's wasm-tools): called through the canonical ABI.
here=$(cd "$(dirname "$0")" && pwd)
"$jco" parse "$here/exports.wat" -o "$work/exports.component.wasm"
[ "$("$wisp" run --invoke 'add(2, 40)' "$work/exports.component.wasm")" = "42" ]
[ "$("$wisp" run --invoke 'echo("h\u{e9}llo")' "$work/exports.component.wasm")" = '"héllo"' ]
"$wisp" inspect "$work/exports.component.wasm" | grep -q "^export echo: func(s: string) -> string$"
# resources.component.wasm (read by instance_test.cpp) is resources.wat.
"$jco" parse "$here/resources.wat" -o "$work/resources.component.wasm"
cmp "$work/resources.component.wasm" "$here/resources.component.wasm"
echo "jco components: ok"
