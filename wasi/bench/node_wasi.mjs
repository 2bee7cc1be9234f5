// Runs a WASI command module under node:wasi (preview1) with wasmtime-style
// grants, for comparing against wisp:
//   node node_wasi.mjs [--dir HOST[::GUEST]]... FILE.wasm [ARGS...]
// argv[0] is the file's base name, the environment is empty, stdio is the
// process's own. Exits with the module's exit code.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

// node:wasi is experimental in node 20; keep its warning off stderr.
const emit = process.emitWarning;
process.emitWarning = (w, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'ExperimentalWarning' && String(w).includes('WASI')) return;
  return emit.call(process, w, ...rest);
};
const { WASI } = await import('node:wasi');

const argv = process.argv.slice(2);
const preopens = {};
while (argv[0] === '--dir') {
  const spec = argv[1];
  const sep = spec.indexOf('::');
  const [host, guest] = sep < 0 ? [spec, spec] : [spec.slice(0, sep), spec.slice(sep + 2)];
  preopens[guest] = host;
  argv.splice(0, 2);
}
const [file, ...args] = argv;
const wasi = new WASI({
  version: 'preview1',
  args: [basename(file), ...args],
  env: {},
  preopens,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
