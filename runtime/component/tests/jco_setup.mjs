// Imported by `jco run --jco-import` before a component runs under node:
// grants it what the wisp side of a comparison grants with --dir and --env
// (jco run's default is the whole host filesystem and environment).
//   WISP_PREVIEW2_SHIM  the @bytecodealliance/preview2-shim package directory
//   WISP_JCO_PREOPENS   {"guest name": "host directory", ...}
//   WISP_JCO_ENV        {"NAME": "value", ...}
import { pathToFileURL } from 'node:url';

const shim = process.env.WISP_PREVIEW2_SHIM;
const fs = await import(pathToFileURL(`${shim}/dist/nodejs/filesystem.js`));
const cli = await import(pathToFileURL(`${shim}/dist/nodejs/cli.js`));
fs._setPreopens(JSON.parse(process.env.WISP_JCO_PREOPENS || '{}'));
cli._setEnv(JSON.parse(process.env.WISP_JCO_ENV || '{}'));
