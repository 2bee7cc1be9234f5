// WasiCtx setup: stdio, preopened directories, preopened listening sockets.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "wasi/preview1/host_stat.hpp"
#include "wasi/preview1/unique_fd.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi {
namespace {

// libc's isatty() is "a character device without seek rights", so only a
// real terminal may look like that. Files and seekable devices such as
// /dev/null keep file rights (seek, tell); pipes and sockets get the stream
// subset.
Rights stdio_rights(int host, const struct stat& st) {
  if (isatty(host)) return right::Tty;
  if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return right::RegularFile;
  return right::Tty;
}

FdEntry stdio_entry(int host) {
  FdEntry e;
  e.kind = FdKind::Stdio;
  e.host = host;
  e.owned = false;
  struct stat st;
  if (fstat(host, &st) == 0) {
    e.filetype = filetype_from_mode(st.st_mode);
    e.base = stdio_rights(host, st);
  } else {
    // Closed stdio: present in the table (fds 3+ keep their numbers), but
    // every operation on it fails with EBADF from the host.
    e.filetype = Filetype::Unknown;
    e.base = right::Tty;
  }
  return e;
}

Result<UniqueFd> listen_on(const std::string& spec) {
  auto fail = [&](const std::string& why) {
    return make_error(ErrorKind::Other, "--tcplisten " + spec + ": " + why);
  };
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon + 1 == spec.size()) return fail("expected HOST:PORT");
  std::string host = spec.substr(0, colon), port = spec.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  // Numeric addresses only, as wasmtime's --tcplisten (a SocketAddr) takes
  // them; "localhost" is accepted as 127.0.0.1. No name service: the CLI
  // is linked statically, and glibc's resolver would load NSS modules.
  if (host == "localhost") host = "127.0.0.1";
  char* end = nullptr;
  errno = 0;
  unsigned long port_num = strtoul(port.c_str(), &end, 10);
  if (errno || *end || port_num > 65535) return fail("bad port '" + port + "'");
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (host.empty() || inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;  // empty host: all interfaces (INADDR_ANY is 0)
    v4->sin_port = htons(uint16_t(port_num));
    len = sizeof *v4;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(uint16_t(port_num));
    len = sizeof *v6;
  } else {
    return fail("expected a numeric IPv4 or IPv6 address, got '" + host + "'");
  }
  UniqueFd s(socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.valid()) return fail(strerror(errno));
  int one = 1;
  setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(s.get(), 128) != 0)
    return fail(strerror(errno));
  return s;
}

}  // namespace

namespace {

// What the signal handler puts back: descriptor and flags, -1 when unset.
volatile sig_atomic_t g_stdio_fd[3] = {-1, -1, -1};
volatile sig_atomic_t g_stdio_flags[3] = {-1, -1, -1};

void restore_and_reraise(int sig) {
  int saved_errno = errno;
  for (int i = 0; i < 3; ++i)
    if (g_stdio_fd[i] >= 0 && g_stdio_flags[i] >= 0) fcntl(g_stdio_fd[i], F_SETFL, int(g_stdio_flags[i]));
  errno = saved_errno;
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void restore_stdio_on_signals(const WasiCtx& ctx) {
  for (int i = 0; i < 3; ++i) {
    g_stdio_fd[i] = ctx.stdio_host_[i];
    g_stdio_flags[i] = ctx.stdio_flags_[i];
  }
  struct sigaction sa {};
  sa.sa_handler = restore_and_reraise;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    struct sigaction old {};
    // A signal the parent set to be ignored stays ignored (as a shell's
    // `nohup` or background job expects).
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &sa, nullptr);
  }
}

WasiCtx::~WasiCtx() {
  for (int i = 0; i < 3; ++i)
    if (stdio_flags_[i] >= 0 && fcntl(stdio_host_[i], F_GETFL) != stdio_flags_[i])
      fcntl(stdio_host_[i], F_SETFL, stdio_flags_[i]);
}

Result<std::unique_ptr<WasiCtx>> WasiCtx::create(const WasiConfig& cfg) try {
  std::unique_ptr<WasiCtx> ctx(new WasiCtx());
  ctx->args = cfg.args;
  ctx->env = cfg.env;
  const int stdio[3] = {cfg.stdin_fd, cfg.stdout_fd, cfg.stderr_fd};
  for (uint32_t i = 0; i < 3; ++i) {
    ctx->stdio_host_[i] = stdio[i];
    ctx->stdio_flags_[i] = fcntl(stdio[i], F_GETFL);
    ctx->fds.place(i, stdio_entry(stdio[i]));
  }
  uint32_t next = 3;
  // Directories first: libc scans fds from 3 and stops at the first that is
  // not a preopened directory, so listeners go after them.
  for (const PreopenDir& d : cfg.dirs) {
    UniqueFd fd(open(d.host.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
      return make_error(ErrorKind::Other, "--dir " + d.host + ": " + strerror(errno));
    FdEntry e;
    e.kind = FdKind::Directory;
    e.filetype = Filetype::Directory;
    e.host = fd.release();
    e.base = right::Directory;
    e.inheriting = right::DirectoryInheriting;
    e.preopen = d.guest;
    e.is_preopen = true;
    ctx->fds.place(next++, std::move(e));
  }
  for (const std::string& spec : cfg.tcp_listen) {
    auto s = listen_on(spec);
    if (!s.ok()) return s.take_error();
    FdEntry e;
    e.kind = FdKind::Socket;
    e.filetype = Filetype::SocketStream;
    e.host = s.value().release();
    e.base = right::ListenSocket;
    e.inheriting = right::Socket;
    ctx->fds.place(next++, std::move(e));
  }
  return ctx;
} catch (const std::bad_alloc&) {
  return make_error(ErrorKind::Limit, "out of host memory setting up WASI");
}

}  // namespace wisp::wasi
