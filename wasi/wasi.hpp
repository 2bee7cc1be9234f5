// WASI preview 1 for wisp: configuration, the per-instance context, and
// registration of the imports (wasi_snapshot_preview1 and the older
// wasi_unstable) with a Linker.
//
// Nothing is granted by default: the guest sees the arguments, environment
// variables, directories and listening sockets listed in WasiConfig, and
// stdio. Paths resolve beneath a granted directory and never outside it
// (preview1/SANDBOX.md).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/wasm/result.hpp"
#include "wasi/preview1/fd_table.hpp"

namespace wisp {
class Linker;
class Store;
}  // namespace wisp

namespace wisp::wasi {

struct PreopenDir {
  std::string host;   // directory on the host
  std::string guest;  // the name the guest sees (fd_prestat_dir_name)
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, argv[0] included
  std::vector<std::string> env;   // "NAME=VALUE" entries, in order
  std::vector<PreopenDir> dirs;
  std::vector<std::string> tcp_listen;  // "HOST:PORT", bound and listening before start
  // Hosts a component may send HTTP requests to (WASI 0.2's
  // wasi:http/outgoing-handler): "host" (any port) or "host:port".
  std::vector<std::string> allow_http;
  // Host descriptors behind guest fds 0, 1, 2 (borrowed, never closed).
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
};

class WasiCtx {
 public:
  // Opens the preopened directories and listening sockets. Errors name the
  // offending directory or address.
  static Result<std::unique_ptr<WasiCtx>> create(const WasiConfig& cfg);
  // Puts back the file status flags (O_NONBLOCK, O_APPEND) of the host's
  // stdio: they belong to file descriptions shared with the parent (the
  // user's terminal), which must not stay non-blocking after wisp exits.
  ~WasiCtx();

  FdTable fds;
  friend void restore_stdio_on_signals(const WasiCtx& ctx);
  std::vector<std::string> args;
  std::vector<std::string> env;
  // proc_exit's code once the guest called it (also carried by the trap);
  // -1 before. Lets an embedder recover the code when proc_exit ran inside a
  // start function, where instantiation reports only "exit".
  int exit_code = -1;

 private:
  WasiCtx() = default;
  int stdio_host_[3] = {-1, -1, -1};
  int stdio_flags_[3] = {-1, -1, -1};
};

// Puts ctx's stdio flags back also when the process dies of SIGINT, SIGTERM,
// SIGHUP or SIGQUIT, where no destructor runs: installs handlers that
// restore them (fcntl is async-signal-safe) and then re-raise the signal
// with its default action, so the exit status still shows it. For a process
// with one WasiCtx at a time, such as the CLI.
void restore_stdio_on_signals(const WasiCtx& ctx);

// Defines every wasi_snapshot_preview1 and wasi_unstable function in linker,
// as host functions of store bound to ctx (which must outlive the store's use).
void add_to_linker(Linker& linker, Store& store, WasiCtx& ctx);

}  // namespace wisp::wasi
