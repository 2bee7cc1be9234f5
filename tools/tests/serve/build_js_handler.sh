#!/usr/bin/env bash
# Builds tools/tests/serve/handler.js into a wasi:http component with
# componentize-js (npm, next to jco). componentize-js 0.22's engine speaks
# wasi:http@0.2.10: jco's 0.2.12 WIT packages are copied at that version
# (less the unstable network-error-code, which the engine has as stable).
#   build_js_handler.sh JCO OUT.wasm WORKDIR
set -euo pipefail
jco=$1 out=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
jco_pkg=$(dirname "$(dirname "$(readlink -f "$jco")")")
componentize=$(dirname "$jco_pkg")/componentize-js/src/cli.js
rm -rf "$work/wit" && mkdir -p "$work/wit"
cp "$here/world.wit" "$work/wit/"
cp -r "$jco_pkg/lib/wit/builtin/0.2.12" "$work/wit/deps"
grep -rl "0\.2\.12" "$work/wit/deps" | xargs sed -i 's/0\.2\.12/0.2.10/g'
sed -i '/@unstable(feature = network-error-code)/d' "$work/wit/deps"/*/package.wit
node "$componentize" "$here/handler.js" --wit "$work/wit" -n handler -o "$out" > /dev/null
