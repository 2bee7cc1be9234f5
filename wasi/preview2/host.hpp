// WASI 0.2 for components (issue 14), the part that exists so far: what a
// `wasi:cli/command` that prints and exits needs. Functions are defined
// for any 0.2.x import (ComponentLinker matches 0.2.N to 0.2).
//
//   wasi:cli/stdin, stdout, stderr   get-stdin/-stdout/-stderr
//   wasi:cli/environment             get-environment, get-arguments, initial-cwd
//   wasi:cli/exit                    exit
//   wasi:cli/terminal-stdin/-stdout/-stderr   (none: not a terminal)
//   wasi:io/streams                  output-stream: check-write, write,
//                                    blocking-write-and-flush, blocking-flush;
//                                    input-stream (stdin): read, blocking-read
//   wasi:clocks/wall-clock, monotonic-clock   now, resolution
//   wasi:random/random, insecure, insecure-seed   the kernel's entropy
//   wasi:filesystem/preopens         get-directories (none yet)
//   wasi:filesystem/types            filesystem-error-code (none)
//
// Not yet: pollables (so no subscribe-duration), the filesystem, sockets.
// A component importing one of those lowers a function this does not
// define, and instantiation names it.
#pragma once
#include <string>
#include <vector>

#include "runtime/component/instance.hpp"

namespace wisp::wasi::p2 {

struct Context {
  std::vector<std::string> args;  // argv, argv[0] included
  std::vector<std::string> env;   // "NAME=VALUE"
  bool exited = false;            // wasi:cli/exit was called: the run's error is that
  int exit_code = 0;
};

void define(component::ComponentLinker& linker, Context& ctx);

}  // namespace wisp::wasi::p2
