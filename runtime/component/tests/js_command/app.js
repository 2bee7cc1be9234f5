// A JavaScript command for the component tests: made a component by
// componentize-js (SpiderMonkey in StarlingMonkey, about 12 MB), run by
// wisp and by `jco run`, which must print the same. It uses the WASI 0.2
// the engine needs: stdio, clocks, random, and a timer (a pollable).
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
export const run = {
  async run() {
    console.log("Hello from JavaScript in a component");
    const words = ["wasm", "component", "wisp", "jco"].sort();
    console.log(`sorted: ${words.join(", ")}`);
    console.log(`fib(22) = ${fib(22)}`);
    const m = new Map([["a", 1], ["b", 2]]);
    console.log(`json: ${JSON.stringify({ map: [...m], pi: Math.PI.toFixed(5), re: "x1y22z333".match(/\d+/g) })}`);
    console.log(`utf-8: ${"héllo wörld ✓".toUpperCase()}`);
    const r = new Uint8Array(32);
    crypto.getRandomValues(r);
    console.log(`random bytes: ${r.length}, not all zero: ${r.some((b) => b !== 0)}`);
    console.log(`wall clock after 2020: ${Date.now() > Date.UTC(2020, 0, 1)}`);
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    console.log(`timer waited at least 25 ms: ${performance.now() - t0 >= 25}`);
    console.error("to stderr");
  }
};
