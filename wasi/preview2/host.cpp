// The WASI 0.2 functions of host.hpp. Resources are represented by their
// rep: an output stream's is the file descriptor it writes (1, 2).
#include "wasi/preview2/host.hpp"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace wisp::wasi::p2 {

namespace {

using component::Value;
using Values = std::vector<Value>;
using Ret = Result<Values>;

Value u(Value::Kind k, uint64_t bits) {
  Value v;
  v.kind = k;
  v.bits = bits;
  return v;
}
Value text(const std::string& s) {
  Value v;
  v.kind = Value::String;
  v.text = s;
  return v;
}
Value none() { return u(Value::Option, 0); }
Value ok(std::vector<Value> payload = {}) {
  Value v = u(Value::Result, 0);
  v.items = std::move(payload);
  return v;
}
// result<_, stream-error> err(closed): stream-error's case 1.
Value closed() {
  Value v = u(Value::Result, 1);
  v.items = {u(Value::Variant, 0)};
  v.items[0].index = 1;
  return v;
}

// getentropy(3) gives at most 256 bytes a call.
int getentropy_all(void* out, size_t n) {
  auto* p = static_cast<uint8_t*>(out);
  while (n) {
    const size_t k = std::min<size_t>(n, 256);
    if (getentropy(p, k) != 0) return -1;
    p += k;
    n -= k;
  }
  return 0;
}

bool write_all(int fd, const std::vector<Value>& bytes) {
  std::string buf;
  buf.reserve(bytes.size());
  for (const Value& b : bytes) buf += char(b.bits);
  size_t done = 0;
  while (done < buf.size()) {
    ssize_t n = ::write(fd, buf.data() + done, buf.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

}  // namespace

void define(component::ComponentLinker& l, Context& ctx) {
  l.define("wasi:cli/stdin@0.2#get-stdin", [](const Values&) -> Ret { return Values{u(Value::Own, 0)}; });
  l.define("wasi:cli/stdout@0.2#get-stdout", [](const Values&) -> Ret { return Values{u(Value::Own, 1)}; });
  l.define("wasi:cli/stderr@0.2#get-stderr", [](const Values&) -> Ret { return Values{u(Value::Own, 2)}; });
  for (const char* t : {"stdin", "stdout", "stderr"})
    l.define(std::string("wasi:cli/terminal-") + t + "@0.2#get-terminal-" + t,
             [](const Values&) -> Ret { return Values{none()}; });
  l.define("wasi:cli/exit@0.2#exit", [&ctx](const Values& a) -> Ret {
    ctx.exited = true;
    ctx.exit_code = a.at(0).index == 0 ? 0 : 1;
    return make_error(ErrorKind::Other, "exit");
  });
  l.define("wasi:cli/environment@0.2#get-arguments", [&ctx](const Values&) -> Ret {
    Value list = u(Value::List, 0);
    for (const std::string& s : ctx.args) list.items.push_back(text(s));
    return Values{list};
  });
  l.define("wasi:cli/environment@0.2#get-environment", [&ctx](const Values&) -> Ret {
    Value list = u(Value::List, 0);
    for (const std::string& e : ctx.env) {
      const size_t eq = e.find('=');
      Value pair = u(Value::Tuple, 0);
      pair.items = {text(e.substr(0, eq)), text(eq == std::string::npos ? "" : e.substr(eq + 1))};
      list.items.push_back(pair);
    }
    return Values{list};
  });
  l.define("wasi:cli/environment@0.2#initial-cwd", [](const Values&) -> Ret { return Values{none()}; });
  // Output streams: rep is the descriptor.
  l.define("wasi:io/streams@0.2#[method]output-stream.check-write", [](const Values&) -> Ret {
    return Values{ok({u(Value::U64, 65536)})};
  });
  auto write = [](const Values& a) -> Ret {
    const int fd = int(a.at(0).bits);
    if ((fd != 1 && fd != 2) || !write_all(fd, a.at(1).items)) return Values{closed()};
    return Values{ok()};
  };
  l.define("wasi:io/streams@0.2#[method]output-stream.write", write);
  l.define("wasi:io/streams@0.2#[method]output-stream.blocking-write-and-flush", write);
  l.define("wasi:io/streams@0.2#[method]output-stream.blocking-flush",
           [](const Values&) -> Ret { return Values{ok()}; });
  // Input streams: rep 0 is stdin. read returns what one read(2) gives
  // (blocking-read the same: read(2) blocks); end of input is err(closed).
  auto read = [](const Values& a) -> Ret {
    const int fd = int(a.at(0).bits);
    const uint64_t want = std::min<uint64_t>(a.at(1).bits, 1 << 20);
    if (fd != 0) return Values{closed()};
    std::string buf(size_t(want), '\0');
    ssize_t n;
    do n = ::read(fd, buf.data(), buf.size());
    while (n < 0 && errno == EINTR);
    if (n <= 0 && want > 0) return Values{closed()};
    Value list = u(Value::List, 0);
    for (ssize_t i = 0; i < n; ++i) list.items.push_back(u(Value::U8, uint8_t(buf[size_t(i)])));
    return Values{ok({list})};
  };
  l.define("wasi:io/streams@0.2#[method]input-stream.read", read);
  l.define("wasi:io/streams@0.2#[method]input-stream.blocking-read", read);
  l.define("wasi:clocks/wall-clock@0.2#now", [](const Values&) -> Ret {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    Value dt = u(Value::Record, 0);
    dt.items = {u(Value::U64, uint64_t(ts.tv_sec)), u(Value::U32, uint64_t(ts.tv_nsec))};
    return Values{dt};
  });
  l.define("wasi:clocks/wall-clock@0.2#resolution", [](const Values&) -> Ret {
    Value dt = u(Value::Record, 0);
    dt.items = {u(Value::U64, 0), u(Value::U32, 1)};
    return Values{dt};
  });
  l.define("wasi:clocks/monotonic-clock@0.2#now", [](const Values&) -> Ret {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return Values{u(Value::U64, uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec))};
  });
  l.define("wasi:clocks/monotonic-clock@0.2#resolution", [](const Values&) -> Ret { return Values{u(Value::U64, 1)}; });
  // Random: the kernel's (getrandom via /dev/urandom semantics), for the
  // secure and the insecure interface alike.
  auto bytes = [](const Values& a) -> Ret {
    const uint64_t n = std::min<uint64_t>(a.at(0).bits, 1 << 20);
    std::string buf(size_t(n), '\0');
    if (n && getentropy_all(buf.data(), buf.size()) != 0) return make_error(ErrorKind::Other, "no entropy");
    Value list = u(Value::List, 0);
    for (char c : buf) list.items.push_back(u(Value::U8, uint8_t(c)));
    return Values{list};
  };
  auto u64 = [](const Values&) -> Ret {
    uint64_t x = 0;
    if (getentropy_all(&x, sizeof x) != 0) return make_error(ErrorKind::Other, "no entropy");
    return Values{u(Value::U64, x)};
  };
  l.define("wasi:random/random@0.2#get-random-bytes", bytes);
  l.define("wasi:random/random@0.2#get-random-u64", u64);
  l.define("wasi:random/insecure@0.2#get-insecure-random-bytes", bytes);
  l.define("wasi:random/insecure@0.2#get-insecure-random-u64", u64);
  l.define("wasi:random/insecure-seed@0.2#insecure-seed", [](const Values&) -> Ret {
    uint64_t x[2] = {};
    if (getentropy_all(x, sizeof x) != 0) return make_error(ErrorKind::Other, "no entropy");
    Value t = u(Value::Tuple, 0);
    t.items = {u(Value::U64, x[0]), u(Value::U64, x[1])};
    return Values{t};
  });
  l.define("wasi:filesystem/preopens@0.2#get-directories",
           [](const Values&) -> Ret { return Values{u(Value::List, 0)}; });
  l.define("wasi:filesystem/types@0.2#filesystem-error-code", [](const Values&) -> Ret { return Values{none()}; });
  // Descriptors exist only through preopens, which there are none of yet:
  // their methods are defined so that adapted commands link, and trap if
  // ever reached.
  for (const char* m : {"get-flags", "get-type", "append-via-stream", "write-via-stream", "read-via-stream",
                        "stat", "stat-at", "open-at", "read-directory", "metadata-hash", "metadata-hash-at",
                        "sync", "sync-data", "set-size", "set-times", "read", "write", "create-directory-at",
                        "remove-directory-at", "unlink-file-at", "rename-at", "readlink-at", "symlink-at",
                        "link-at", "is-same-object", "advise", "set-times-at"}) {
    const std::string name = std::string("[method]descriptor.") + m;
    l.define("wasi:filesystem/types@0.2#" + name, [name](const Values&) -> Ret {
      return make_error(ErrorKind::Other, name + ": wisp's WASI 0.2 has no filesystem yet");
    });
  }
}

}  // namespace wisp::wasi::p2
