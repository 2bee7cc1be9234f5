// wisp: run, validate and test WebAssembly modules.
#include <fcntl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "tools/cli.hpp"

namespace {

void usage(FILE* f) {
  fputs(
      "usage: wisp <command> [options]\n"
      "       wisp [run options] FILE [ARGS...]   (as `wisp run`)\n"
      "\n"
      "commands:\n"
      "  run [options] FILE [ARGS...]\n"
      "                           run a .wasm/.wat module: its _start (WASI), or\n"
      "                           --invoke NAME; grants with --dir, --env,\n"
      "                           --tcplisten; limits with --fuel, --max-memory,\n"
      "                           --max-stack (see `wisp run --help`)\n"
      "  serve [options] COMPONENT\n"
      "                           serve HTTP with a wasi:http component, a fresh\n"
      "                           instance per request (see `wisp serve --help`)\n"
      "  validate FILE            check a module or component; exit 0 if valid\n"
      "  inspect FILE             list a module's or a component's imports and exports\n"
      "  parse FILE -o OUT.wasm   convert text to binary\n"
      "  wast [--verbose] [--tier interp|jit|auto] [--expected-failures FILE] FILE...\n"
      "                           run spec-test scripts\n"
      "  help, --help             this text\n"
      "  --version, -V            wisp's version\n"
      "Every command takes --help; options are --name VALUE or --name=VALUE.\n"
      "\n"
      "exit status: 0 ok; 1 bad input or usage; 134 the module trapped;\n"
      "for `run`, a WASI program's proc_exit code.\n",
      f);
}

// Descriptors 0-2 closed by the parent would be taken by the next open():
// a preopened directory or a file the guest creates would become "stderr",
// and wisp's own messages would land in it. Point them at /dev/null first
// (as Rust's runtime does for wasmtime).
bool reserve_stdio() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    int got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (got != fd) return false;  // lower descriptors are open, so got == fd
  }
  return true;
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 1;
  }
  std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "-V" || cmd == "version") {
    printf("wisp %s\n", WISP_VERSION);
    return 0;
  }
  if (cmd == "run") return wisp::cli::cmd_run(argc - 2, argv + 2);
  if (cmd == "validate") return wisp::cli::cmd_validate(argc - 2, argv + 2);
  if (cmd == "parse") return wisp::cli::cmd_parse(argc - 2, argv + 2);
  if (cmd == "wast") return wisp::cli::cmd_wast(argc - 2, argv + 2);
  if (cmd == "inspect") return wisp::cli::cmd_inspect(argc - 2, argv + 2);
  if (cmd == "serve") return wisp::cli::cmd_serve(argc - 2, argv + 2);
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    usage(stdout);
    return 0;
  }
  // `wisp FILE ARGS...` and `wisp --invoke f FILE` run, as in wasmtime: run
  // options, or something that names a file (a path, or a name with a dot).
  if (cmd[0] == '-' || cmd.find('/') != std::string::npos || cmd.find('.') != std::string::npos)
    return wisp::cli::cmd_run(argc - 1, argv + 1);
  wisp::cli::error("unknown command '" + cmd + "' (try 'wisp help')");
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (!reserve_stdio()) return 1;
  // The runtime returns errors as values; this is the last line of defence
  // against an exception (say std::bad_alloc under `ulimit -v`) ending in
  // abort(), whose status 134 would read as a trap.
  try {
    return dispatch(argc, argv);
  } catch (const std::bad_alloc&) {
    wisp::cli::error("out of host memory");
  } catch (const std::exception& e) {
    wisp::cli::error(std::string("internal error: ") + e.what());
  }
  return 1;
}
