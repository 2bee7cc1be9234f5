#!/usr/bin/env bash
# Components made by jco from C programs (programs.cmake builds the core
# modules), each run three ways with the same grants: by wisp as the core
# module (WASI preview 1), by wisp as the component (WASI 0.2), and by
# `jco run` (node, @bytecodealliance/preview2-shim). Their stdout, stderr
# and exit status must agree (an exit status other than 0 is 1 for a
# component: wasi:cli/exit carries only ok or err).
#   jco_command_test.sh JCO WISP RUNTIME_TESTS PROGRAM_DIR WORKDIR
set -euo pipefail
jco=$1 wisp=$2 tests=$3 progs=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
jco_pkg=$(dirname "$(dirname "$(readlink -f "$jco")")")
shim=$jco_pkg/node_modules/@bytecodealliance/preview2-shim
[ -d "$shim" ] || shim=$(dirname "$jco_pkg")/preview2-shim

adapt() { "$jco" new "$progs/$1.wasm" --wasi-command -o "$work/$1.component.wasm"; }

# run3 NAME CORE STDIN_FILE [DATA_DIR] -- ARGS...: the three runs (CORE.wasm,
# NAME.component.wasm), into $work/NAME.{core,comp,jco}.{out,err,code}. A
# data directory is copied fresh for each run and granted as "data".
run3() {
  local name=$1 core=$2 input=$3 data=$4
  shift 5
  local how
  for how in core comp jco; do
    local dir=$work/$name.$how.data
    rm -rf "$dir"
    [ -z "$data" ] || cp -r "$data" "$dir"
    local grant=() preopens='{}'
    if [ -n "$data" ]; then
      grant=(--dir "$dir::data")
      preopens="{\"data\": \"$dir\"}"
    fi
    set +e
    case $how in
      core) "$wisp" run --env GREETING=hi "${grant[@]}" "$progs/$core.wasm" "$@" ;;
      comp) "$wisp" run --env GREETING=hi "${grant[@]}" "$work/$name.component.wasm" "$@" ;;
      jco) WISP_PREVIEW2_SHIM=$shim WISP_JCO_PREOPENS=$preopens WISP_JCO_ENV='{"GREETING": "hi"}' \
             "$jco" run --jco-import "$here/jco_setup.mjs" "$work/$name.component.wasm" "$@" ;;
    esac < "$input" > "$work/$name.$how.out" 2> "$work/$name.$how.err"
    echo $? > "$work/$name.$how.code"
    set -e
  done
  local code
  code=$(cat "$work/$name.core.code")
  [ "$code" = 0 ] || code=1
  for how in comp jco; do
    if ! cmp -s "$work/$name.core.out" "$work/$name.$how.out" ||
       ! cmp -s "$work/$name.core.err" "$work/$name.$how.err" ||
       [ "$(cat "$work/$name.$how.code")" != "$code" ]; then
      echo "$name: $how differs from the core module under preview 1:" >&2
      diff "$work/$name.core.out" "$work/$name.$how.out" >&2 || true
      diff "$work/$name.core.err" "$work/$name.$how.err" >&2 || true
      echo "exit: core $(cat "$work/$name.core.code"), $how $(cat "$work/$name.$how.code")" >&2
      return 1
    fi
  done
  echo "$name: the same under wisp (core, component) and jco run"
}

# hello: read by the decoder's test, `wisp validate`, `wisp inspect`, run.
adapt hello
WISP_TEST_COMPONENT=$work/hello.component.wasm "$tests" --gtest_filter=ComponentDecoder.AWasiCommandFromJco \
  > /dev/null
"$wisp" validate "$work/hello.component.wasm"
out=$("$wisp" inspect "$work/hello.component.wasm")
grep -q "^import wasi:cli/stdout@0\.2\.[0-9]*: instance {" <<< "$out"
grep -q "get-stdout: func() -> own<output-stream>" <<< "$out"
grep -q "^export wasi:cli/run@0\.2\.[0-9]*: " <<< "$out"
run3 hello hello /dev/null "" --

# Arguments, environment, stdin, stdout, stderr and the exit status.
adapt args_env
printf 'first line\nsecond line, longer than one 64-byte read of the program: %070d\n' 0 > "$work/stdin.txt"
run3 args_env args_env "$work/stdin.txt" "" -- one two
[ "$(cat "$work/args_env.core.code")" = 3 ]

# Files and directories beneath a granted directory, what is refused, a
# sleep (a pollable), a CPU-heavy loop; the directories end the same too.
adapt fs_tour
mkdir -p "$work/data"
printf 'hello\nworld\n' > "$work/data/in.txt"
run3 fs_tour fs_tour /dev/null "$work/data" --
for how in comp jco; do
  diff -r "$work/fs_tour.core.data" "$work/fs_tour.$how.data"
done

# Nested components, as composition tools make them (nest.py): the same
# programs held inside an outer component that passes its imports through
# and re-exports wasi:cli/run; resources (streams, descriptors) cross it.
for p in args_env fs_tour; do
  python3 "$here/nest.py" "$work/$p.component.wasm" "$work/${p}_nested.component.wasm"
  "$wisp" inspect "$work/${p}_nested.component.wasm" | grep -q "^export wasi:cli/run@0\.2\.[0-9]*: instance"
done
run3 args_env_nested args_env "$work/stdin.txt" "" -- one two
run3 fs_tour_nested fs_tour /dev/null "$work/data" --

# A JavaScript component (componentize-js; wasi:http left out with -d:
# that is issue 15's) prints the same under wisp and jco run.
mkdir -p "$work/js/wit"
cp "$here/js_command/world.wit" "$work/js/wit/"
cp -r "$jco_pkg/lib/wit/builtin/0.2.12" "$work/js/wit/deps"
node "$(dirname "$jco_pkg")/componentize-js/src/cli.js" "$here/js_command/app.js" --wit "$work/js/wit" \
  -n js-command -d http fetch-event -o "$work/js_command.component.wasm" > /dev/null
for how in comp jco; do
  case $how in
    comp) "$wisp" run "$work/js_command.component.wasm" ;;
    jco) WISP_PREVIEW2_SHIM=$shim "$jco" run --jco-import "$here/jco_setup.mjs" "$work/js_command.component.wasm" ;;
  esac > "$work/js.$how.out" 2> "$work/js.$how.err"
done
grep -q "^Hello from JavaScript in a component$" "$work/js.comp.out"
cmp "$work/js.comp.out" "$work/js.jco.out"
cmp "$work/js.comp.err" "$work/js.jco.err"
echo "js_command: the same under wisp and jco run"

# A component with exports that need no imports (exports.wat, made binary
# by jco's wasm-tools): called through the canonical ABI.
"$jco" parse "$here/exports.wat" -o "$work/exports.component.wasm"
[ "$("$wisp" run --invoke 'add(2, 40)' "$work/exports.component.wasm")" = "42" ]
[ "$("$wisp" run --invoke 'echo("h\u{e9}llo")' "$work/exports.component.wasm")" = '"héllo"' ]
"$wisp" inspect "$work/exports.component.wasm" | grep -q "^export echo: func(s: string) -> string$"
# resources.component.wasm (read by instance_test.cpp) is resources.wat.
"$jco" parse "$here/resources.wat" -o "$work/resources.component.wasm"
cmp "$work/resources.component.wasm" "$here/resources.component.wasm"
# bench/component/abi.component.wasm (bench_component.cpp) is abi.wat.
"$jco" parse "$here/../../../bench/component/abi.wat" -o "$work/abi.component.wasm"
cmp "$work/abi.component.wasm" "$here/../../../bench/component/abi.component.wasm"
echo "jco components: ok"
