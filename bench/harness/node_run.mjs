// Run a WASI command module (.wasm) under node:wasi (preview1).
//
//   node [v8 flags] node_run.mjs [--time] [--dir HOST::GUEST]... <file.wasm> [args...]
//
// The module gets argv = [file, args...], an empty environment, the
// directories --dir names (as `wisp run --dir`; none by default), and the
// process's stdin/stdout/stderr.  The exit code is the
// module's.  --time prints compile/instantiate/start seconds to stderr as
// "compile-s: X", "instantiate-s: X", "run-s: X".
//
// Node 20: `node --liftoff-only` = baseline compiler only; `node --no-liftoff`
// = TurboFan only; plain `node` = Liftoff then dynamic tier-up (note that
// `--liftoff --no-wasm-tier-up` still tiers up in node 20).
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

// node:wasi is experimental in node 20; keep its one-time warning off stderr.
const origEmitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'ExperimentalWarning' && String(warning).includes('WASI')) return;
  return origEmitWarning.call(process, warning, ...rest);
};
const { WASI } = await import('node:wasi');

let argv = process.argv.slice(2);
let timing = false;
const preopens = {};
for (;;) {
  if (argv[0] === '--time') {
    timing = true;
    argv = argv.slice(1);
  } else if (argv[0] === '--dir' && argv.length > 1) {
    const [host, guest] = argv[1].split('::');
    preopens[guest ?? host] = host;
    argv = argv.slice(2);
  } else {
    break;
  }
}
if (argv.length < 1) {
  console.error('usage: node node_run.mjs [--time] <file.wasm> [args...]');
  process.exit(2);
}
const [file, ...args] = argv;

const wasi = new WASI({
  version: 'preview1',
  args: [file, ...args],
  env: {},
  preopens,
  returnOnExit: true,
});

const bytes = await readFile(file);
const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const t1 = performance.now();
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const t2 = performance.now();
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  console.error(`node_run: trap: ${e && e.message ? e.message : e}`);
  code = 134;
}
const t3 = performance.now();
if (timing) {
  const f = (ms) => (ms / 1000).toFixed(6);
  process.stderr.write(`compile-s: ${f(t1 - t0)}\ninstantiate-s: ${f(t2 - t1)}\nrun-s: ${f(t3 - t2)}\n`);
}
process.exitCode = code;
