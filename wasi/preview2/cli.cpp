// wasi:cli, wasi:clocks and wasi:random (host.hpp).
#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "wasi/preview2/host.hpp"
#include "wasi/preview2/values.hpp"

namespace wisp::wasi::p2 {

namespace {

// getentropy(3) gives at most 256 bytes a call.
bool entropy(void* out, size_t n) {
  auto* p = static_cast<uint8_t*>(out);
  while (n) {
    const size_t k = std::min<size_t>(n, 256);
    if (getentropy(p, k) != 0) return false;
    p += k;
    n -= k;
  }
  return true;
}


}  // namespace

void define_cli(component::ComponentLinker& l, Context& ctx) {
  auto def = [&l](const char* iface, const char* fn, component::HostFunc f) {
    l.define(std::string("wasi:") + iface + "@0.2#" + fn, std::move(f));
  };
  // A fresh stream on the process's stdin, stdout or stderr each call (the
  // guest drops them when it likes; the descriptors stay WasiCtx's).
  auto stdio = [&ctx](uint32_t n, Kind kind) {
    Entry e;
    e.kind = kind;
    const FdEntry* fe = ctx.caps->fds.find(n);
    e.fd = std::make_shared<HostFd>(fe ? fe->host : -1, false);
    e.stream = StreamKind::Stdio;
    return ctx.table.add(std::move(e));
  };
  def("cli/stdin", "get-stdin", [stdio](const Values&) { return one(own(stdio(0, Kind::InputStream))); });
  def("cli/stdout", "get-stdout", [stdio](const Values&) { return one(own(stdio(1, Kind::OutputStream))); });
  def("cli/stderr", "get-stderr", [stdio](const Values&) { return one(own(stdio(2, Kind::OutputStream))); });
  // Not a terminal, always: no terminal-input/-output resources are made.
  for (const char* t : {"stdin", "stdout", "stderr"})
    l.define(std::string("wasi:cli/terminal-") + t + "@0.2#get-terminal-" + t,
             [](const Values&) { return one(none()); });
  def("cli/exit", "exit", [&ctx](const Values& a) -> Ret {
    ctx.exited = true;
    ctx.exit_code = a.at(0).index == 0 ? 0 : 1;
    return make_error(ErrorKind::Other, "exit");
  });
  // exit-with-code (0.2.x's unstable cli-exit-with-code): the code itself.
  def("cli/exit", "exit-with-code", [&ctx](const Values& a) -> Ret {
    ctx.exited = true;
    ctx.exit_code = int(uint8_t(a.at(0).bits));
    return make_error(ErrorKind::Other, "exit");
  });
  def("cli/environment", "get-arguments", [&ctx](const Values&) {
    Values args;
    for (const std::string& s : ctx.args) args.push_back(text(s));
    return one(list(std::move(args)));
  });
  def("cli/environment", "get-environment", [&ctx](const Values&) {
    Values pairs;
    for (const std::string& e : ctx.env) {
      const size_t eq = e.find('=');
      pairs.push_back(tuple({text(e.substr(0, eq)), text(eq == std::string::npos ? "" : e.substr(eq + 1))}));
    }
    return one(list(std::move(pairs)));
  });
  def("cli/environment", "initial-cwd", [](const Values&) { return one(none()); });

  def("clocks/wall-clock", "now", [](const Values&) {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return one(datetime(uint64_t(ts.tv_sec), uint32_t(ts.tv_nsec)));
  });
  def("clocks/wall-clock", "resolution", [](const Values&) { return one(datetime(0, 1)); });
  def("clocks/monotonic-clock", "now", [](const Values&) { return one(u64v(monotonic_ns())); });
  def("clocks/monotonic-clock", "resolution", [](const Values&) { return one(u64v(1)); });
  auto deadline = [&ctx](uint64_t at) {
    Entry e;
    e.kind = Kind::Pollable;
    e.poll = PollKind::Deadline;
    e.deadline = at;
    return one(own(ctx.table.add(std::move(e))));
  };
  def("clocks/monotonic-clock", "subscribe-instant", [deadline](const Values& a) { return deadline(a.at(0).bits); });
  def("clocks/monotonic-clock", "subscribe-duration", [deadline](const Values& a) {
    const uint64_t now = monotonic_ns(), d = a.at(0).bits;
    return deadline(d > UINT64_MAX - now ? UINT64_MAX : now + d);
  });

  // Random: the kernel's entropy, for the secure and the insecure interface
  // alike (at most 1 MiB a call).
  auto random_bytes = [](const Values& a) -> Ret {
    std::string buf(size_t(std::min<uint64_t>(a.at(0).bits, 1 << 20)), '\0');
    if (!entropy(buf.data(), buf.size())) return make_error(ErrorKind::Other, "no entropy");
    return one(bytes(std::move(buf)));
  };
  auto random_u64 = [](const Values&) -> Ret {
    uint64_t x = 0;
    if (!entropy(&x, sizeof x)) return make_error(ErrorKind::Other, "no entropy");
    return one(u64v(x));
  };
  def("random/random", "get-random-bytes", random_bytes);
  def("random/random", "get-random-u64", random_u64);
  def("random/insecure", "get-insecure-random-bytes", random_bytes);
  def("random/insecure", "get-insecure-random-u64", random_u64);
  def("random/insecure-seed", "insecure-seed", [](const Values&) -> Ret {
    uint64_t x[2] = {};
    if (!entropy(x, sizeof x)) return make_error(ErrorKind::Other, "no entropy");
    return one(tuple({u64v(x[0]), u64v(x[1])}));
  });
}

}  // namespace wisp::wasi::p2
