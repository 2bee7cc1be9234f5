#!/usr/bin/env bash
# `wisp serve` on 127.0.0.1 with a hand-written handler (hello.wat) and a
# JavaScript one (handler.js, componentize-js): status codes, headers,
# bodies, a trap (500), a handler that never returns (504 at the deadline),
# an outgoing request to a second local server (allowed with --allow-http,
# refused otherwise), and the server still serving after each; SIGTERM
# stops it.
#   serve_test.sh WISP JCO WORKDIR
set -euo pipefail
wisp=$1 jco=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
pid= other=
trap 'kill $pid $other 2> /dev/null || true' EXIT

# start COMPONENT ARGS...: the server in the background; sets pid and url.
start() {
  local comp=$1
  shift
  "$wisp" serve --addr 127.0.0.1:0 --threads 2 "$@" "$comp" 2> "$work/serve.log" &
  pid=$!
  for _ in $(seq 100); do
    url=$(grep -o " on http://127.0.0.1:[0-9]*/" "$work/serve.log" | head -n 1 | cut -c5- || true)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  cat "$work/serve.log" >&2
  return 1
}
stop() {
  kill -TERM "$pid"
  wait "$pid"  # exit 0 after finishing what runs
  pid=
}
get() { curl -s --max-time 20 "$@"; }
status() { curl -s --max-time 20 -o /dev/null -w "%{http_code}" "$@"; }

# The hand-written handler: jco's binary of hello.wat is the checked-in one.
"$jco" parse "$here/hello.wat" -o "$work/hello.component.wasm"
cmp "$work/hello.component.wasm" "$here/hello.component.wasm"
start "$here/hello.component.wasm" --timeout 1 --metrics-addr 127.0.0.1:0
[ "$(get "${url}")" = "hello from wat" ]
get -i "${url}" | grep -qi "^x-wat: yes"
[ "$(status "${url}teapot")" = 418 ]
[ "$(status "${url}trap")" = 500 ]
start_ns=$(date +%s%N)
[ "$(status "${url}loop")" = 504 ]
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
[ "$elapsed_ms" -lt 5000 ]
[ "$(get "${url}")" = "hello from wat" ]  # still serving
# /echo streams 3 MB back through its 64 KiB of linear memory.
head -c 3000000 /dev/urandom > "$work/random.bin"
get -X POST --data-binary "@$work/random.bin" "${url}echo" -o "$work/echoed.bin"
cmp "$work/random.bin" "$work/echoed.bin"
grep -q "GET /trap 500 .*trap: unreachable" "$work/serve.log"
grep -q "GET /loop 504 .*deadline" "$work/serve.log"
# Prometheus metrics: 4 answered 2xx (/, /, / after the loop, /echo), 1
# 4xx (418), 2 5xx; one trap, one timeout.
metrics=$(grep -o "http://127.0.0.1:[0-9]*/metrics" "$work/serve.log")
get "$metrics" > "$work/metrics.txt"
grep -q '^wisp_serve_requests_total{status="2xx"} 4$' "$work/metrics.txt"
grep -q '^wisp_serve_requests_total{status="4xx"} 1$' "$work/metrics.txt"
grep -q '^wisp_serve_requests_total{status="5xx"} 2$' "$work/metrics.txt"
grep -q '^wisp_serve_traps_total 1$' "$work/metrics.txt"
grep -q '^wisp_serve_timeouts_total 1$' "$work/metrics.txt"
grep -q '^wisp_serve_request_duration_seconds_count 7$' "$work/metrics.txt"
# Nothing carries over from one request to the next: /count changes a
# global, memory, the memory's and a table's size, drops a segment and
# reports them with its request handle, "1" each in a fresh instance; so
# in every request, whether its instance is a reset one (the default), one
# made after a trap, or one made anew (--no-reuse). Two threads: 12
# requests give each loop's instance several uses.
count_all_fresh() {
  for i in $(seq 12); do
    [ "$(get "${url}count")" = "count 1 1 1 1 1!" ] || { echo "request $i: $(get "${url}count")" >&2; return 1; }
    [ "$i" = 6 ] && [ "$(status "${url}trap")" = 500 ]
  done
  return 0
}
count_all_fresh
stop
start "$here/hello.component.wasm" --no-reuse
count_all_fresh
stop
echo "hello.wat: 200, 418, 3 MB streamed through 64 KiB, 500 on a trap, 504 at the deadline (${elapsed_ms} ms),"
echo "  still serving; metrics; no state carried over between requests (reset or new instances)"

# The JavaScript handler.
"$here/build_js_handler.sh" "$jco" "$work/handler.wasm" "$work"
# hello.wat serves as the second server the handler fetches from.
start "$here/hello.component.wasm"
other=$pid hello_url=$url pid=
cp "$work/serve.log" "$work/hello-serve.log"
hello_port=${hello_url#http://127.0.0.1:}
hello_port=${hello_port%/}
start "$work/handler.wasm" --allow-http "127.0.0.1:${hello_port}"
[ "$(get "${url}hello?x=1")" = "Hello from JavaScript, /hello?x=1" ]
[ "$(get -X POST -H "x-test: abc" --data "some body" "${url}echo")" = "POST 9 bytes: some body" ]
get -i -X POST -H "x-test: abc" --data "x" "${url}echo" | grep -qi "^x-echo: abc"
[ "$(status -X POST --data "x" "${url}echo")" = 201 ]
head -c 1000000 /dev/zero | tr '\0' 'a' > "$work/big.txt"
get -X POST --data-binary "@$work/big.txt" "${url}echo" | grep -q "^POST 1000000 bytes: aaaa"
[ "$(status "${url}boom")" = 500 ]  # the handler throws: StarlingMonkey answers 500
[ "$(get "${url}fetch?to=${hello_url}teapot")" = "fetched 418: hello from wat" ]
[ "$(status "${url}fetch?to=http://127.0.0.1:9/")" = 502 ]  # not in --allow-http: refused, never sent
[ "$(get "${url}again")" = "Hello from JavaScript, /again" ]
stop
kill -TERM "$other"
wait "$other"
other=
echo "handler.js: GET, POST with headers and a 1 MB body, 201, 500 on an exception, an allowed and a refused"
echo "  outgoing request, still serving"
