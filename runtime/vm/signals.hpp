// Turning hardware faults in guarded linear memory into wasm traps.
//
// A 32-bit linear memory reserves enough address space that every wasm
// address lands inside its reservation; the part beyond the memory's size is
// PROT_NONE. An out-of-bounds load or store therefore faults (SIGSEGV, or
// SIGBUS on some kernels/architectures) instead of needing a compare and
// branch. This file owns the process-wide handler that recognises such a
// fault and unwinds to the innermost run_guarded() with siglongjmp.
//
// A fault becomes a trap only when all of these hold:
//   * the faulting thread is inside run_guarded() and not inside a
//     HostCallScope (i.e. it is running wasm, not a host function),
//   * the fault is a real memory fault (not a signal sent with kill()),
//   * the faulting address lies in a registered guard region.
// Anything else is passed on to whatever handled the signal before us (or
// the default action, which kills the process), as if we were not there.
//
// CONTRACT for run_guarded(fn): a trap unwinds with siglongjmp, which does
// not run destructors. Between run_guarded and any instruction that may fault
// or call raise_trap, no stack frame may own an object with a non-trivial
// destructor (std::string, std::vector, unique_ptr, locks, ...), and no
// resource may be held that needs releasing. The interpreter's dispatch loop
// must keep its state in trivially destructible locals or in heap structures
// owned by something outside fn. Host functions are not affected: they run
// under HostCallScope, where faults crash and traps must be returned, not
// raised. fn must not change the signal mask (it is not restored on a trap).
#pragma once
#include <atomic>
#include <csetjmp>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <utility>

#include "runtime/vm/trap.hpp"

namespace wisp {

// What the last trap on this thread looked like, for diagnostics.
struct TrapInfo {
  TrapKind kind = TrapKind::None;
  int signal = 0;                  // SIGSEGV/SIGBUS for memory faults, 0 for raise_trap
  const void* fault_address = nullptr;  // si_addr of the fault
  const void* machine_pc = nullptr;     // native pc of the faulting instruction
  const void* hint = nullptr;           // value of the wasm hint at trap time
};

namespace detail {

// One active run_guarded() on a thread. Lives on that thread's stack.
struct GuardFrame {
  sigjmp_buf env;
  GuardFrame* prev;
  bool saved_in_wasm;
  volatile TrapKind trap;
};

// Everything the signal handler needs to know about the current thread.
// Trivially constructible and destructible so that it is constant-initialised
// TLS (no lazy-init wrapper, which would not be async-signal-safe) and the
// interpreter can reach it with a single TLS-relative access.
struct ThreadState {
  GuardFrame* top;       // innermost run_guarded, nullptr outside wasm
  bool in_wasm;          // false while a host function runs
  bool ready;            // handler installed and alternate stack set up
  const void* hint;      // interpreter-maintained "where am I" pointer
  TrapInfo last;         // filled in when a trap unwinds
};

extern thread_local constinit ThreadState tls;

void prepare_thread();  // cold path: install handler, alternate stack
[[noreturn]] void abort_no_guard(TrapKind kind) noexcept;

// The handler reads tls on this thread only, so a compiler fence (no CPU
// fence) is enough to keep these stores from moving across fn's accesses.
inline void push_guard(GuardFrame* f) noexcept {
  f->prev = tls.top;
  f->saved_in_wasm = tls.in_wasm;
  f->trap = TrapKind::None;
  tls.top = f;
  tls.in_wasm = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

inline void pop_guard(GuardFrame* f) noexcept {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  tls.top = f->prev;
  tls.in_wasm = f->saved_in_wasm;
}

}  // namespace detail

// Installs the SIGSEGV/SIGBUS handler. Thread-safe and idempotent; called
// implicitly by run_guarded, exposed so embedders can install it at a time
// of their choosing (e.g. before installing their own handler on top).
void install_signal_handlers();

// Gives the calling thread an alternate signal stack if it has none, so a
// fault can be handled even when the thread's own stack is exhausted. The
// stack is freed when the thread exits. Called implicitly by run_guarded.
void ensure_alt_stack();

// Guard-region registry. A handle is an opaque slot index; 0 never names a
// region. register_guard_region fails (returns 0) only if out of memory.
// The handler reads the registry without locks; registering and
// unregistering take a mutex, so they must not be called from a handler.
using GuardRegionHandle = uint32_t;
GuardRegionHandle register_guard_region(const void* begin, const void* end);
void unregister_guard_region(GuardRegionHandle h);
// Whether addr lies in some registered region (async-signal-safe).
bool in_guard_region(const void* addr) noexcept;
// Number of regions currently registered (for leak tests).
size_t guard_region_count();

// Runs fn() with memory faults inside registered guard regions turned into
// TrapKind::MemoryOutOfBounds, and raise_trap() calls unwinding back here.
// Returns TrapKind::None if fn returned normally. Nests (host -> wasm ->
// host -> wasm): a trap unwinds to the innermost run_guarded only. C++
// exceptions thrown by fn propagate (the guard is popped on the way out).
// See the contract at the top of this file.
template <class F>
TrapKind run_guarded(F&& fn) {
  detail::ThreadState& st = detail::tls;
  if (!st.ready) [[unlikely]]
    detail::prepare_thread();
  detail::GuardFrame frame;
  detail::push_guard(&frame);
  // savemask = 0: no sigprocmask syscall per call. The fault handler puts
  // back the interrupted code's signal mask itself before jumping here.
  if (sigsetjmp(frame.env, 0) == 0) {
    try {
      std::forward<F>(fn)();
    } catch (...) {
      detail::pop_guard(&frame);
      throw;
    }
    detail::pop_guard(&frame);
    return TrapKind::None;
  }
  detail::pop_guard(&frame);
  return frame.trap;
}

// Unwinds to the innermost run_guarded on this thread, which returns kind.
// Aborts the process if there is none (a trap with nowhere to go is a bug).
// Same contract as faults: no live non-trivial destructors on the way.
[[noreturn]] inline void raise_trap(TrapKind kind) {
  detail::GuardFrame* f = detail::tls.top;
  if (!f) [[unlikely]]
    detail::abort_no_guard(kind);
  detail::tls.last = TrapInfo{kind, 0, nullptr, nullptr, detail::tls.hint};
  f->trap = kind;
  siglongjmp(f->env, 1);
}

// The interpreter stores a pointer here (e.g. the current function or
// frame) so that a trap report can say where wasm was. Plain TLS store.
inline void set_trap_hint(const void* hint) { detail::tls.hint = hint; }
inline const void* trap_hint() { return detail::tls.hint; }

// Details of the most recent trap on this thread.
inline const TrapInfo& last_trap_info() { return detail::tls.last; }

// Whether the calling thread is inside run_guarded and running wasm code.
inline bool in_wasm() { return detail::tls.top && detail::tls.in_wasm; }

// Marks a call out of wasm into host code (an import). While it is alive,
// faults in guard regions crash instead of trapping: host code must check
// bounds itself, and its destructors must not be skipped. A host function
// that wants to trap returns that to the interpreter, which then raises it
// once the scope has ended.
class HostCallScope {
 public:
  HostCallScope() : saved_(detail::tls.in_wasm) { set(false); }
  ~HostCallScope() { set(saved_); }
  HostCallScope(const HostCallScope&) = delete;
  HostCallScope& operator=(const HostCallScope&) = delete;

 private:
  static void set(bool v) {
    detail::tls.in_wasm = v;
    // Order the flag against the host code's memory accesses as seen by a
    // handler on this thread; the compiler must not sink or hoist it.
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  bool saved_;
};

}  // namespace wisp
