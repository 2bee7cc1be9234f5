// Time V8's synchronous compile of a module: `new WebAssembly.Module` on
// the file's bytes, each round with a fresh custom section appended so V8's
// module cache cannot answer. Run with the flags that pick the compiler:
//
//   node --liftoff-only --no-wasm-lazy-compilation --single-threaded \
//        node_compile.mjs FILE.wasm [ROUNDS]
//
// Prints "compile-ms: min median" and "mb-per-s: X" (code-section bytes are
// not separated out: the whole file's size over the median).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [file, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 10);
const base = readFileSync(file);
const times = [];
for (let i = 0; i < rounds; i++) {
  // custom section: id 0, size, name "r" + round number
  const name = Buffer.from(`wisp-round-${i}-${Math.random()}`);
  const payload = Buffer.concat([Buffer.from([name.length]), name]);
  const bytes = Buffer.concat([base, Buffer.from([0, payload.length]), payload]);
  const t0 = performance.now();
  new WebAssembly.Module(bytes);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`compile-ms: ${times[0].toFixed(2)} ${median.toFixed(2)}`);
console.log(`mb-per-s: ${(base.length / 1e6 / (median / 1e3)).toFixed(1)}`);
