// proc_exit, proc_raise, sched_yield.
#include <sched.h>

#include "wasi/preview1/functions.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {

// Ends the program by trapping with TrapKind::Exit: the interpreter unwinds
// every wasm frame and the embedder (wisp run) turns the code into its own
// exit status. Nothing is buffered on the host side (fd_write goes straight
// to write(2)), so there is nothing to flush here.
TrapKind proc_exit(HostContext& hc, Slot* args) {
  auto* ctx = static_cast<WasiCtx*>(hc.data);
  uint32_t code = args[0].u32;
  ctx->exit_code = int(code);
  hc.exit_code = int(code);
  return TrapKind::Exit;
}

// Signals are not part of the sandbox model; preview1 itself deprecates
// this function.
Errno proc_raise(Call&, u32) { return Errno::NoSys; }

Errno sched_yield(Call&) {
  ::sched_yield();
  return Errno::Success;
}

}  // namespace wisp::wasi::fn
