// WASI 0.2 for components (issue 14): the host side of the
// `wasi:cli/command` world. Functions are defined for any 0.2.x import
// (ComponentLinker matches 0.2.N to 0.2).
//
//   wasi:cli        environment, exit, stdin/stdout/stderr, terminal-*
//                   (cli.cpp)
//   wasi:clocks     wall-clock, monotonic-clock (subscribe-* too)  (cli.cpp)
//   wasi:random     random, insecure, insecure-seed  (cli.cpp)
//   wasi:io         error, streams, poll: pollables that block in ppoll
//                   until a descriptor is ready or a deadline passes  (io.cpp)
//   wasi:filesystem types, preopens  (filesystem.cpp)
//
// The capabilities are preview 1's (wasi/wasi.hpp): the same WasiConfig
// (args, env, --dir), the same WasiCtx holding the granted directories and
// stdio, and the same path resolution beneath them (preview1/sandbox.hpp,
// preview1/path_ops.hpp). Nothing is granted that WasiConfig does not list.
//
// Not here: sockets, wasi:http (issue 15). A component importing a
// function this does not define fails to instantiate, naming it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "runtime/component/instance.hpp"
#include "wasi/preview2/table.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::p2 {

struct Context {
  // Opens what cfg grants (its directories); errors name the directory.
  static Result<std::unique_ptr<Context>> create(const WasiConfig& cfg);

  std::unique_ptr<WasiCtx> caps;  // preview 1's: stdio, preopened directories
  std::vector<std::string> args;  // argv, argv[0] included
  std::vector<std::string> env;   // "NAME=VALUE"
  Table table;                    // the host's resources, by rep
  // Hosts the guest may send HTTP requests to (wasi:http/outgoing-handler):
  // "host" (any port) or "host:port"; none by default.
  std::vector<std::string> allow_http;
  // The most a guest may write into an HTTP body (the host buffers it).
  uint64_t max_http_body = uint64_t(1) << 30;
  bool exited = false;            // wasi:cli/exit was called: the run's error is that
  int exit_code = 0;
};

// Defines every function above in linker, bound to ctx (which must outlive
// the instances linked with it).
void define(component::ComponentLinker& linker, Context& ctx);

// The parts, one per file.
void define_cli(component::ComponentLinker& linker, Context& ctx);
void define_io(component::ComponentLinker& linker, Context& ctx);
void define_filesystem(component::ComponentLinker& linker, Context& ctx);

}  // namespace wisp::wasi::p2
