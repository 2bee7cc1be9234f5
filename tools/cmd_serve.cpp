// wisp serve: a wasi:http server running one fresh component instance per
// request (issue 15). HTTP is libevent's evhttp (Debian's libevent-dev,
// linked statically like the rest of the CLI); one event loop per core,
// each with its own listening socket on the same port (SO_REUSEPORT: the
// kernel spreads connections), each running its requests' handlers itself.
//
// Per request: the component (decoded and validated once) is instantiated
// in a new Store, the request is given to its
// `wasi:http/incoming-handler.handle` with a response-outparam, and what
// the guest set there is sent. A trap or a handler that sets no response
// is answered 500; the server keeps serving. SIGINT/SIGTERM stop the
// loops after the requests they are running.
//
// Instances are reused, as wasmtime's pooling allocator reuses instance
// slots: the instance of a request whose handler returned is kept by its
// loop and reset (ComponentInstance::reset: memories back to their images
// by madvise, tables, globals and segments initialised again, no handles)
// when the next request comes, which then sees it exactly as a new one.
// A handler that trapped or ran out of time leaves its instance to be
// destroyed. --no-reuse makes a new one for every request.
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/component/decoder.hpp"
#include "runtime/component/instance.hpp"
#include "tools/cli.hpp"
#include "tools/options.hpp"
#include "wasi/preview2/host.hpp"
#include "wasi/preview2/http.hpp"

namespace wisp::cli {

namespace {

const char* const kServeUsage =
    "usage: wisp serve [options] COMPONENT\n"
    "  --addr HOST:PORT       listen there (default 0.0.0.0:8080; port 0: any free\n"
    "                         port, printed on stderr)\n"
    "  --threads N            event loops (default: one per core)\n"
    "  --max-body BYTES       refuse larger request bodies (413), fail a handler's\n"
    "                         writes past it in a response body (default 16 MiB)\n"
    "  --timeout DURATION     cut off a handler running longer (504; default 30s;\n"
    "                         0: never; 1.5 or 1500ms or 2m)\n"
    "  --allow-http HOST[:PORT],...\n"
    "                         let handlers send HTTP requests to these hosts\n"
    "                         (wasi:http/outgoing-handler; none by default)\n"
    "  --metrics-addr HOST:PORT\n"
    "                         serve Prometheus metrics there (GET /metrics)\n"
    "  --quiet                no access log on stderr\n"
    "  --no-reuse             make every request's instance anew rather than\n"
    "                         resetting the last one's (the same guest-visible\n"
    "                         state either way; slower)\n"
    "  --dir, --env, --tier, --fuel, --max-memory, -W ...\n"
    "                         as for `wisp run`, for every request's instance\n"
    "                         (the tier defaults to jit here: compiled code is kept\n"
    "                         with the component across requests)\n"
    "COMPONENT exports wasi:http/incoming-handler@0.2.x (the wasi:http/proxy\n"
    "world). Every request runs in a fresh instance; nothing is shared between\n"
    "requests.\n";

// Prometheus metrics (--metrics-addr): counters and two histograms, updated
// by every event loop without locks.
struct Histogram {
  static constexpr double kBounds[] = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                       0.005,   0.01,     0.025,   0.05,   0.1,     0.25,   0.5,   1,
                                       2.5,     5,        10,      30};
  static constexpr size_t kN = sizeof kBounds / sizeof kBounds[0];
  std::atomic<uint64_t> counts[kN + 1] = {};  // the last: +Inf
  std::atomic<uint64_t> sum_ns{0};
  void add(int64_t ns) {
    const double s = double(ns) / 1e9;
    size_t i = 0;
    while (i < kN && s > kBounds[i]) ++i;
    counts[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns.fetch_add(uint64_t(ns), std::memory_order_relaxed);
  }
  void write(std::string& out, const char* name, const char* help) const {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " histogram\n";
    uint64_t cum = 0;
    char line[160];
    for (size_t i = 0; i <= kN; ++i) {
      cum += counts[i].load(std::memory_order_relaxed);
      if (i < kN) snprintf(line, sizeof line, "%s_bucket{le=\"%g\"} %llu\n", name, kBounds[i], (unsigned long long)cum);
      else snprintf(line, sizeof line, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
      out += line;
    }
    snprintf(line, sizeof line, "%s_sum %.9f\n%s_count %llu\n", name, double(sum_ns.load()) / 1e9, name,
             (unsigned long long)cum);
    out += line;
  }
};

struct Metrics {
  std::atomic<uint64_t> by_class[6] = {};  // 1xx .. 5xx (index 1..5)
  std::atomic<uint64_t> traps{0}, timeouts{0}, failed_instantiations{0};
  Histogram latency, instantiation;
  std::string text() const {
    std::string out = "# HELP wisp_serve_requests_total Requests answered, by status class.\n"
                      "# TYPE wisp_serve_requests_total counter\n";
    char line[128];
    for (int c = 1; c <= 5; ++c) {
      snprintf(line, sizeof line, "wisp_serve_requests_total{status=\"%dxx\"} %llu\n", c,
               (unsigned long long)by_class[c].load());
      out += line;
    }
    auto counter = [&](const char* name, const char* help, uint64_t v) {
      snprintf(line, sizeof line, "%llu", (unsigned long long)v);
      out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " + line + "\n";
    };
    counter("wisp_serve_traps_total", "Handlers that trapped (answered 500).", traps.load());
    counter("wisp_serve_timeouts_total", "Handlers cut off at the deadline (answered 504).", timeouts.load());
    counter("wisp_serve_instantiation_failures_total", "Instances that could not be made.",
            failed_instantiations.load());
    latency.write(out, "wisp_serve_request_duration_seconds", "Time from the request to the response.");
    instantiation.write(out, "wisp_serve_instantiation_seconds", "Time to make a request's instance.");
    return out;
  }
};

struct Server {
  std::shared_ptr<const component::Component> component;
  std::vector<uint8_t> bytes;  // what component borrows
  std::string handler;         // "wasi:http/incoming-handler@0.2.N#handle"
  wasi::WasiConfig wasi;
  StoreConfig store;
  bool log = true;
  bool reuse = true;  // reset the last request's instance (--no-reuse: make one)
  uint64_t timeout_ms = 30000;
  Metrics* metrics = nullptr;
};

const char* method_name(evhttp_cmd_type c) {
  switch (c) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_TRACE: return "TRACE";
    case EVHTTP_REQ_CONNECT: return "CONNECT";
    case EVHTTP_REQ_PATCH: return "PATCH";
  }
  return "GET";
}

// One event loop and what its requests' instances need: a WASI 0.2 context
// (its grants opened once; its resource table emptied per request) and the
// linker bound to it.
struct Worker {
  const Server* server = nullptr;
  event_base* base = nullptr;
  evhttp* http = nullptr;
  std::unique_ptr<wasi::p2::Context> ctx;
  component::ComponentLinker linker;
  component::InstanceCache cache;  // what instantiating the component works out once
  // The last request's instance when its handler returned: the next
  // request resets it rather than making one (ComponentInstance::reset).
  struct Pooled {
    std::unique_ptr<Store> store;
    std::unique_ptr<component::ComponentInstance> inst;
  };
  std::unique_ptr<Pooled> spare;
  std::thread thread;
  // The request running now, for the watchdog: its store and deadline
  // (steady-clock ns; 0: none), under mu; expired: the watchdog stopped it.
  std::mutex mu;
  Store* running = nullptr;
  int64_t deadline = 0;
  bool expired = false;
};

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Interrupts every request past its deadline, and again every millisecond
// until it ends (Store::interrupt races with the running code's own fuel
// updates). It sleeps until the earliest deadline of the requests running,
// and when none runs for an eighth of the timeout (a request that starts
// meanwhile is cut off at most that late): a thread waking every
// millisecond cost the JavaScript handler a third of its throughput (its
// wake-ups on the other core make every memory reset's madvise a TLB
// shootdown there).
struct Watchdog {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
};

void watchdog(std::vector<std::unique_ptr<Worker>>& workers, uint64_t timeout_ms, Watchdog& dog) {
  const int64_t idle_ns = std::max<int64_t>(int64_t(timeout_ms) * 1000000 / 8, 1000000);
  int64_t sleep_ns = idle_ns;
  for (;;) {
    {
      std::unique_lock lock(dog.mu);
      if (dog.cv.wait_for(lock, std::chrono::nanoseconds(sleep_ns), [&] { return dog.stop; })) return;
    }
    const int64_t now = now_ns();
    sleep_ns = idle_ns;
    for (auto& w : workers) {
      std::lock_guard lock(w->mu);
      if (!w->running || !w->deadline) continue;
      if (now >= w->deadline) {
        w->expired = true;
        w->running->interrupt();
        sleep_ns = 1000000;
      } else {
        sleep_ns = std::min(sleep_ns, w->deadline - now);
      }
    }
  }
}

void reply_text(evhttp_request* req, int status, const char* reason, const std::string& body) {
  evbuffer* out = evbuffer_new();
  evhttp_add_header(evhttp_request_get_output_headers(req), "content-type", "text/plain; charset=utf-8");
  evbuffer_add(out, body.data(), body.size());
  evhttp_send_reply(req, status, reason, out);
  evbuffer_free(out);
}

void on_request(evhttp_request* req, void* arg) {
  auto* w = static_cast<Worker*>(arg);
  const Server& s = *w->server;
  const auto start = std::chrono::steady_clock::now();
  wasi::p2::HttpRequest hr;
  hr.method = method_name(evhttp_request_get_command(req));
  hr.path_with_query = evhttp_request_get_uri(req);
  for (evkeyval* kv = evhttp_request_get_input_headers(req)->tqh_first; kv; kv = kv->next.tqe_next) {
    if (strcasecmp(kv->key, "host") == 0) hr.authority = kv->value;
    hr.headers.emplace_back(kv->key, kv->value);
  }
  evbuffer* in = evhttp_request_get_input_buffer(req);
  hr.body.resize(evbuffer_get_length(in));
  if (!hr.body.empty()) evbuffer_copyout(in, hr.body.data(), hr.body.size());
  const std::string what = hr.method + " " + hr.path_with_query;

  int status = 500;
  size_t sent = 0;
  long long inst_us = 0;  // making (or resetting) the instance
  std::string problem;
  {
    std::unique_ptr<Worker::Pooled> p = std::move(w->spare);
    if (!p) {
      p = std::make_unique<Worker::Pooled>();
      p->store = std::make_unique<Store>(s.store);
    }
    if (s.timeout_ms) {
      std::lock_guard lock(w->mu);
      w->running = p->store.get();
      w->deadline = now_ns() + int64_t(s.timeout_ms) * 1000000;
      w->expired = false;
    }
    struct Done {
      Worker* w;
      ~Done() {
        std::lock_guard lock(w->mu);
        w->running = nullptr;
        w->deadline = 0;
      }
    } done{w};
    const auto inst_start = std::chrono::steady_clock::now();
    if (p->inst && !p->inst->reset().ok()) {  // not expected: then a new one
      p->inst.reset();
      p->store = std::make_unique<Store>(s.store);
      std::lock_guard lock(w->mu);
      w->running = s.timeout_ms ? p->store.get() : nullptr;
    }
    if (!p->inst) {
      auto inst = component::ComponentInstance::create(*p->store, s.component, &w->linker, &w->cache);
      if (inst.ok()) p->inst = std::move(inst.value());
      else problem = "instantiation failed: " + inst.error().message;
    }
    inst_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - inst_start).count();
    if (p->inst) {
      wasi::p2::HttpCall call = wasi::p2::start_http_call(*w->ctx, std::move(hr));
      auto r = p->inst->call(s.handler, {call.request, call.outparam});
      bool expired;
      {
        std::lock_guard lock(w->mu);
        expired = w->expired;
      }
      if (r.ok() && !expired && s.reuse) w->spare = std::move(p);
      if (!r.ok() && expired) {
        status = 504;
        problem = "deadline: the handler ran longer than " + std::to_string(s.timeout_ms) + " ms";
      } else if (!r.ok()) {
        problem = (r.error().kind == ErrorKind::Trap ? "trap: " : "") + r.error().message;
      } else if (!call.slot->set) {
        problem = "the handler set no response";
      } else if (!call.slot->response) {
        problem = "the handler answered with an error (" + call.slot->error + ")";
      } else {
        const wasi::p2::HttpMessage& m = *call.slot->response;
        status = m.status;
        evkeyvalq* headers = evhttp_request_get_output_headers(req);
        for (const auto& [n, v] : m.headers->entries) evhttp_add_header(headers, n.c_str(), v.c_str());
        evbuffer* out = evbuffer_new();
        evbuffer_add(out, m.body->data(), m.body->size());
        sent = m.body->size();
        evhttp_send_reply(req, status, nullptr, out);
        evbuffer_free(out);
      }
    }
  }
  if (!problem.empty()) {
    if (status != 504) status = 500;
    reply_text(req, status, status == 504 ? "Gateway Timeout" : "Internal Server Error",
               "wisp serve: " + problem + "\n");
  }
  if (Metrics* m = s.metrics) {
    const int64_t total_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    m->by_class[std::clamp(status / 100, 1, 5)].fetch_add(1, std::memory_order_relaxed);
    m->latency.add(total_ns);
    if (inst_us || status != 500) m->instantiation.add(inst_us * 1000);
    if (problem.rfind("trap: ", 0) == 0) m->traps.fetch_add(1, std::memory_order_relaxed);
    if (status == 504) m->timeouts.fetch_add(1, std::memory_order_relaxed);
    if (problem.rfind("instantiation failed", 0) == 0) m->failed_instantiations.fetch_add(1, std::memory_order_relaxed);
  }
  if (s.log) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    fprintf(stderr, "%s %d %zu bytes %lld us (instance %lld us)%s%s\n", what.c_str(), status, sent,
            (long long)us.count(), inst_us, problem.empty() ? "" : ": ", problem.c_str());
  }
  w->ctx->table = wasi::p2::Table{};  // the request's host resources, after its response
}

// A listening socket on addr (SO_REUSEPORT, so every loop can have its own).
int listen_on(const sockaddr_storage& addr, socklen_t len, std::string& err) {
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return err = strerror(errno), -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0 || listen(fd, 1024) != 0) {
    err = strerror(errno);
    close(fd);
    return -1;
  }
  return fd;
}

// "HOST:PORT" (numeric port; [v6]:port) to a socket address, or an error.
std::string resolve_addr(const std::string& addr, sockaddr_storage& sa, socklen_t& len) {
  const size_t colon = addr.rfind(':');
  if (colon == std::string::npos) return "needs HOST:PORT, got '" + addr + "'";
  std::string host = addr.substr(0, colon), port = addr.substr(colon + 1);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) return "cannot resolve '" + addr + "'";
  len = socklen_t(res->ai_addrlen);
  std::memcpy(&sa, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  return {};
}

// "ip:port" of a bound socket.
std::string bound_name(int fd) {
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  char name[INET6_ADDRSTRLEN] = "?";
  const bool v6 = sa.ss_family == AF_INET6;
  const void* ip = v6 ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&sa)->sin6_addr)
                      : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&sa)->sin_addr);
  inet_ntop(sa.ss_family, ip, name, sizeof name);
  const unsigned p = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port : reinterpret_cast<sockaddr_in*>(&sa)->sin_port);
  return std::string(v6 ? "[" : "") + name + (v6 ? "]" : "") + ":" + std::to_string(p);
}

void on_metrics(evhttp_request* req, void* arg) {
  const std::string text = static_cast<const Metrics*>(arg)->text();
  evbuffer* out = evbuffer_new();
  evhttp_add_header(evhttp_request_get_output_headers(req), "content-type", "text/plain; version=0.0.4");
  evbuffer_add(out, text.data(), text.size());
  evhttp_send_reply(req, 200, "OK", out);
  evbuffer_free(out);
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  Server s;
  // Every request is a new instance, so tiering up per instance does not
  // pay (auto measured 397 req/s on the JS handler, interp 429): compile
  // each function on its first call; the code stays with the module, so
  // later requests find it compiled (jit: 551 req/s).
  s.store.tier = Tier::Jit;
  std::string addr = "0.0.0.0:8080";
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  uint64_t max_body = 16u << 20;
  std::string metrics_addr;
  Args a("serve", argc, argv);
  for (; a.option(); a.next()) {
    uint64_t n = 0;
    if (a.flag("--help", "-h")) {
      fputs(kServeUsage, stdout);
      return 0;
    }
    if (parse_shared_option(a, s.wasi, s.store)) {
    } else if (a.value("--addr", addr)) {
    } else if (a.number("--threads", n)) {
      if (!a.bad && (n == 0 || n > 1024)) a.fail("--threads needs a number from 1 to 1024");
      threads = unsigned(n);
    } else if (a.bytes("--max-body", max_body)) {
    } else if (a.duration("--timeout", s.timeout_ms)) {
    } else if (a.value("--metrics-addr", metrics_addr)) {
    } else if (a.flag("--quiet")) {
      s.log = false;
    } else if (a.flag("--no-reuse")) {
      s.reuse = false;
    } else {
      return a.unknown();
    }
    if (a.bad) return 1;
  }
  const int i = a.i;
  if (i + 1 != argc) return usage_error("serve", kServeUsage);
  const std::string path = argv[i];
  auto bytes = load_binary(path);
  if (!bytes.ok()) {
    error(bytes.error().message);
    return 1;
  }
  s.bytes = std::move(bytes.value());
  if (!is_component_file(s.bytes)) {
    error(path + ": not a component (wisp serve runs wasi:http/proxy components)");
    return 1;
  }
  auto c = component::decode(s.bytes.data(), s.bytes.size());
  if (!c.ok()) {
    char at[40] = "";
    if (c.error().offset != SIZE_MAX) snprintf(at, sizeof at, " at offset 0x%zx", c.error().offset);
    error(path + ": component" + at + ": " + c.error().message);
    return 1;
  }
  s.component = c.value();
  s.wasi.args = {path};
  // A deadline needs code that counts fuel (Store::interrupt): as good as
  // unlimited unless --fuel set a budget per request.
  if (s.timeout_ms && !s.store.fuel) s.store.fuel = UINT64_MAX / 4;

  // One trial instance: links, and exports the handler.
  {
    auto ctx = wasi::p2::Context::create(s.wasi);
    if (!ctx.ok()) {
      error(ctx.error().message);
      return 1;
    }
    component::ComponentLinker linker;
    wasi::p2::define(linker, *ctx.value());
    Store store(s.store);
    auto inst = component::ComponentInstance::create(store, s.component, &linker);
    if (!inst.ok()) {
      error(path + ": " + inst.error().message);
      return 1;
    }
    const std::string iface = inst.value()->exported_instance("wasi:http/incoming-handler@0.2");
    if (iface.empty() || !inst.value()->func(iface + "#handle")) {
      error(path + ": does not export wasi:http/incoming-handler@0.2.x (the wasi:http/proxy world)");
      return 1;
    }
    s.handler = iface + "#handle";
  }

  sockaddr_storage sa{};
  socklen_t sa_len = 0;
  if (std::string err = resolve_addr(addr, sa, sa_len); !err.empty()) {
    error("serve: --addr: " + err);
    return 1;
  }
  Metrics metrics;
  s.metrics = &metrics;

  signal(SIGPIPE, SIG_IGN);
  evthread_use_pthreads();
  LinearMemory::configure_reservation_cache(threads * 4, 0);  // reuse reservations across requests
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned t = 0; t < threads; ++t) {
    std::string err;
    const int fd = listen_on(sa, sa_len, err);
    if (fd < 0) {
      error("serve: cannot listen on " + addr + ": " + err);
      return 1;
    }
    if (t == 0) {  // port 0: the others take the port the kernel chose
      getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &sa_len);
      fprintf(stderr, "wisp serve: %s on http://%s/ (%u threads)\n", path.c_str(), bound_name(fd).c_str(), threads);
    }
    auto w = std::make_unique<Worker>();
    w->server = &s;
    auto ctx = wasi::p2::Context::create(s.wasi);
    if (!ctx.ok()) {
      error(ctx.error().message);
      return 1;
    }
    w->ctx = std::move(ctx.value());
    w->ctx->max_http_body = max_body;  // responses (and outgoing requests) as large as requests may be
    wasi::p2::define(w->linker, *w->ctx);
    w->base = event_base_new();
    w->http = evhttp_new(w->base);
    evhttp_set_max_body_size(w->http, ev_ssize_t(max_body));
    evhttp_set_default_content_type(w->http, nullptr);  // the handler's headers, nothing added
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
                                            EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(w->http, on_request, w.get());
    if (!evhttp_accept_socket_with_handle(w->http, fd)) {
      error("serve: cannot accept on " + addr);
      return 1;
    }
    workers.push_back(std::move(w));
  }
  // Metrics on their own loop and address.
  event_base* metrics_base = nullptr;
  evhttp* metrics_http = nullptr;
  if (!metrics_addr.empty()) {
    sockaddr_storage ma{};
    socklen_t ma_len = 0;
    std::string err = resolve_addr(metrics_addr, ma, ma_len);
    const int fd = err.empty() ? listen_on(ma, ma_len, err) : -1;
    if (fd < 0) {
      error("serve: --metrics-addr: " + err);
      return 1;
    }
    metrics_base = event_base_new();
    metrics_http = evhttp_new(metrics_base);
    evhttp_set_cb(metrics_http, "/metrics", on_metrics, &metrics);
    evhttp_accept_socket_with_handle(metrics_http, fd);
    fprintf(stderr, "wisp serve: metrics on http://%s/metrics\n", bound_name(fd).c_str());
  }
  // Signals go to this thread alone, which stops the loops.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  for (auto& w : workers) w->thread = std::thread([b = w->base] { event_base_dispatch(b); });
  std::thread metrics_thread;
  if (metrics_base) metrics_thread = std::thread([metrics_base] { event_base_dispatch(metrics_base); });
  Watchdog dog_state;
  std::thread dog;
  if (s.timeout_ms) dog = std::thread([&] { watchdog(workers, s.timeout_ms, dog_state); });
  int sig = 0;
  sigwait(&stop, &sig);
  fprintf(stderr, "wisp serve: %s: finishing the requests in flight\n", strsignal(sig));
  for (auto& w : workers) event_base_loopexit(w->base, nullptr);
  for (auto& w : workers) {
    w->thread.join();
    evhttp_free(w->http);
    event_base_free(w->base);
  }
  {
    std::lock_guard lock(dog_state.mu);
    dog_state.stop = true;
  }
  dog_state.cv.notify_all();
  if (dog.joinable()) dog.join();
  if (metrics_base) {
    event_base_loopexit(metrics_base, nullptr);
    metrics_thread.join();
    evhttp_free(metrics_http);
    event_base_free(metrics_base);
  }
  return 0;
}

}  // namespace wisp::cli
