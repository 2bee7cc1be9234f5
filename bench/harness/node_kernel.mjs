// Run a freestanding kernel module (.kernel.wasm: no imports, exports
// run(i32) -> i64) under node and time its parts.
//
//   node [v8 flags] node_kernel.mjs <file.kernel.wasm> [n] [--repeat K]
//
// Prints on stdout:
//   checksum: <16 hex digits>      (run's i64 result as unsigned)
//   compile-s: <seconds>           (WebAssembly.compile)
//   instantiate-s: <seconds>       (WebAssembly.instantiate, no imports)
//   run-s: <seconds>               (the run(n) call alone; with --repeat K,
//                                   the median of K calls on one instance,
//                                   and "run-all-s:" lists every call)
//   run-cpu-s: <seconds>           (process CPU time, user + system, of the
//                                   same call(s), median likewise; counts
//                                   V8's background threads too, e.g. tier-up)
// n defaults to 0, which the workloads read as "default size" (n < 0: quick).
//
// Node 20: `node --liftoff-only` = baseline compiler only; `node --no-liftoff`
// = TurboFan only; plain `node` = Liftoff then dynamic tier-up.  V8 has no
// on-stack replacement for wasm, so under plain `node` a long single run()
// call keeps executing the code it was entered with; only functions called
// again afterwards get the tiered-up code.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
let repeat = 1;
const pos = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--repeat') repeat = Number(argv[++i]);
  else pos.push(argv[i]);
}
if (pos.length < 1 || !(repeat >= 1)) {
  console.error('usage: node node_kernel.mjs <file.kernel.wasm> [n] [--repeat K]');
  process.exit(2);
}
const file = pos[0];
const n = pos.length > 1 ? Number(pos[1]) : 0;
if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
  console.error(`node_kernel: n must be an i32, got ${pos[1]}`);
  process.exit(2);
}

const bytes = await readFile(file);
const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const t1 = performance.now();
const imports = WebAssembly.Module.imports(module);
if (imports.length) {
  console.error(`node_kernel: ${file} has imports (${imports.map((i) => `${i.module}.${i.name}`).join(', ')}); not a kernel module`);
  process.exit(2);
}
const instance = await WebAssembly.instantiate(module, {});
const t2 = performance.now();
const run = instance.exports.run;
if (typeof run !== 'function') {
  console.error(`node_kernel: ${file} does not export a function "run"`);
  process.exit(2);
}

const times = [];
const cpuTimes = [];
let result;
for (let i = 0; i < repeat; i++) {
  const c = process.cpuUsage();
  const a = performance.now();
  const r = run(n);
  const b = performance.now();
  const d = process.cpuUsage(c);
  times.push((b - a) / 1000);
  cpuTimes.push((d.user + d.system) / 1e6);
  if (i > 0 && r !== result) {
    console.error(`node_kernel: run(${n}) returned ${r} then ${result}`);
    process.exit(1);
  }
  result = r;
}
const sorted = [...times].sort((x, y) => x - y);
const median = sorted[(sorted.length - 1) >> 1];
const cpuMedian = [...cpuTimes].sort((x, y) => x - y)[(cpuTimes.length - 1) >> 1];
const hex = BigInt.asUintN(64, BigInt(result)).toString(16).padStart(16, '0');
const f = (s) => s.toFixed(6);
let out = `checksum: ${hex}\ncompile-s: ${f((t1 - t0) / 1000)}\ninstantiate-s: ${f((t2 - t1) / 1000)}\nrun-s: ${f(median)}\nrun-cpu-s: ${f(cpuMedian)}\n`;
if (repeat > 1) out += `run-all-s: ${times.map(f).join(' ')}\n`;
process.stdout.write(out);
