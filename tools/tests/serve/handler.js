// A JavaScript wasi:http handler for the `wisp serve` test (serve_test.sh):
// made a component by componentize-js (StarlingMonkey), 14 MB.
addEventListener("fetch", (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  const url = new URL(request.url);
  if (url.pathname === "/echo") {
    const body = await request.text();
    return new Response(`${request.method} ${body.length} bytes: ${body}`, {
      status: 201,
      headers: { "x-echo": request.headers.get("x-test") ?? "none" },
    });
  }
  if (url.pathname === "/boom") throw new Error("boom");
  if (url.pathname === "/fetch") {
    // An outgoing request (wasi:http/outgoing-handler) to ?to=URL.
    try {
      const r = await fetch(url.searchParams.get("to"));
      return new Response(`fetched ${r.status}: ${await r.text()}`);
    } catch (e) {
      return new Response(`fetch failed: ${e.message}\n`, { status: 502 });
    }
  }
  return new Response(`Hello from JavaScript, ${url.pathname}${url.search}\n`, {
    headers: { "content-type": "text/plain" },
  });
}
