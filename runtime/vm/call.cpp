// The call path from the host into wasm (Store::call): arguments, the
// guarded run, traps and their backtraces.
#include <pthread.h>

#include <algorithm>
#include <cstdio>

#include "runtime/vm/helpers.hpp"
#include "runtime/vm/signals.hpp"
#include "runtime/vm/store.hpp"
#include "runtime/wasm/instr_reader.hpp"

namespace wisp {

std::string format_trap(const Trap& t) {
  std::string s = printable(t.message);
  auto line = [](const TrapFrame& f) {
    std::string l = "\n  at ";
    l += f.name.empty() ? "<func " + std::to_string(f.func) + ">" : printable(f.name);
    if (f.offset >= 0) {
      char buf[32];
      snprintf(buf, sizeof buf, " (offset 0x%llx)", (unsigned long long)f.offset);
      l += buf;
    }
    return l;
  };
  // Deep recursion ends in thousands of identical frames: print each run of
  // equal frames once, with its count.
  const auto& bt = t.backtrace;
  // The frames not recorded sit before bt[gap]; no run spans them.
  const size_t gap = t.omitted ? Trap::kBacktraceKeep : SIZE_MAX;
  for (size_t i = 0; i < bt.size();) {
    size_t j = i + 1;
    while (j < bt.size() && j != gap && bt[j].func == bt[i].func && bt[j].offset == bt[i].offset &&
           bt[j].name == bt[i].name)
      ++j;
    s += line(bt[i]);
    if (j - i > 1) s += "\n  ... the frame above " + std::to_string(j - i - 1) + " more times";
    if (j == gap) s += "\n  ... " + std::to_string(t.omitted) + " more frames not recorded";
    i = j;
  }
  return s;
}


// ---- calls ------------------------------------------------------------------------

// Innermost first. A deep stack (--max-stack allows 16M frames) keeps its
// kBacktraceKeep innermost and outermost frames and counts the rest.
// The first byte of the instruction of fn's body that holds byte `at`, as
// wasm-objdump -d and node report positions; `at` itself when fn's body
// cannot be read (it was validated: only a body past the scan cap).
static const uint8_t* instruction_start(const FuncInst* fn, const uint8_t* at) {
  constexpr size_t kScanCap = size_t(4) << 20;  // a trap in a bigger body keeps the approximate offset
  if (!fn->code || at < fn->code || at > fn->code_end || size_t(fn->code_end - fn->code) > kScanCap) return at;
  Reader r(fn->instance->module->bytes, fn->code, fn->code_end + 1);
  const uint8_t* start = fn->code;
  Instr in;
  while (!r.at_end() && r.pos() <= at) {
    start = r.pos();
    if (!read_instr(r, in)) return at;
  }
  return start;
}

static std::vector<TrapFrame> backtrace(const Frame* from, const Frame* to, uint64_t& omitted) {
  std::vector<TrapFrame> out;
  const size_t keep = Trap::kBacktraceKeep;
  const size_t depth = to >= from ? size_t(to - from) + 1 : 0;
  omitted = depth > 2 * keep ? depth - 2 * keep : 0;
  for (const Frame* f = to; f >= from; --f) {
    if (omitted && f == to - keep) f = from + keep - 1;  // skip the middle
    TrapFrame tf;
    const FuncInst* fn = f->fn;
    if (!fn) continue;
    if (fn->instance) {
      const Module& m = *fn->instance->module;
      tf.instance = fn->instance;
      tf.func = fn->index;
      tf.name = std::string(m.func_name(fn->index));
      // pc is just past the opcode (or the call's immediates): the byte
      // before it is in the instruction, which starts at the offset given.
      if (f->pc) tf.offset = int64_t(instruction_start(fn, f->pc - 1) - m.bytes);
    } else {
      tf.name = std::string(fn->debug_name);
    }
    out.push_back(std::move(tf));
  }
  return out;
}

// Host functions may call back into wasm (Store::call from inside a host
// function), and every such nesting costs native stack: the interpreter,
// run_guarded and the host's own frames, ~1.2 KB a level in a release
// build. max_call_depth bounds wasm frames, not native ones, so with the
// default 20000 frames a guest recursing through a re-entrant import
// overflowed an 8 MB thread stack (SIGSEGV) at ~6000 levels. A nested call
// now traps "call stack exhausted" while this much of the thread's stack is
// still free.
static constexpr size_t kNativeStackReserve = 128 << 10;

// True when the caller runs in the last kNativeStackReserve bytes of this
// thread's stack. A frame outside the thread's stack (a fiber's own stack)
// is never refused: its bounds are not known here.
struct StackBounds {
  uintptr_t lo = 0, hi = 0;  // both 0 when not known
};
static const StackBounds& thread_stack() {
  thread_local const StackBounds b = [] {
    StackBounds r;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return r;
    void* lo = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &lo, &size) == 0 && size > 2 * kNativeStackReserve) {
      r.lo = uintptr_t(lo);
      r.hi = uintptr_t(lo) + size;
    }
    pthread_attr_destroy(&attr);
    return r;
  }();
  return b;
}

static bool native_stack_low(uintptr_t frame) {
  const StackBounds& b = thread_stack();
  return frame >= b.lo && frame < b.lo + kNativeStackReserve && frame < b.hi;
}

// Nothing inside the guarded run throws (host functions' exceptions become
// traps in rt::call_host); what is left is the host's allocator, caught
// here after Restore (below) has put the execution context back.
CallResult Store::call(FuncInst* f, std::span<const Value> args) try {
  Trap trap;
  trap.kind = TrapKind::HostError;
  ExecContext& c = exec_;
  if (!c.stack_base) {
    trap.message = "cannot allocate the execution stack";
    return trap;
  }
  const FuncType& ft = f->type();
  if (args.size() != ft.params.size()) {
    trap.message = "wrong number of arguments: expected " + std::to_string(ft.params.size()) +
                   ", got " + std::to_string(args.size());
    return trap;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != ft.params[i]) {
      trap.message = "argument " + std::to_string(i) + " has type " +
                     std::string(to_string(args[i].type)) + ", expected " +
                     std::string(to_string(ft.params[i]));
      return trap;
    }
  }
  Slot* base = c.stack_top;
  size_t need = std::max(ft.params.size(), ft.results.size());
  // Only a nested call (a host function calling back into wasm) can recurse
  // natively; the outermost one skips the check, and with it the stack
  // bounds query (pthread_getattr_np reads /proc/self/maps on the main
  // thread: tens of microseconds of every `wisp run`).
  const bool nested = c.frame_top >= c.frames_base;
  if (base + need > c.stack_limit ||
      (nested && native_stack_low(uintptr_t(__builtin_frame_address(0))))) {
    trap.kind = TrapKind::StackExhausted;
    trap.message = trap_message(trap.kind);
    return trap;
  }
  for (size_t i = 0; i < args.size(); ++i) base[i] = args[i].bits;
  // Compiled code checks its native stack itself, against this thread's
  // (a fiber's stack, whose bounds are not known, is not checked).
  if (cfg_.tier != Tier::Interp && !nested) {
    const StackBounds& sb = thread_stack();
    uintptr_t here = uintptr_t(__builtin_frame_address(0));
    c.native_stack_limit = here >= sb.lo && here < sb.hi ? sb.lo + kNativeStackReserve : 0;
  }
  // A host function may call back into wasm: keep the outer interpreter's
  // registers-in-memory intact whatever way this call ends (a memory fault
  // skips interp_call's own bookkeeping; building the trap may throw
  // bad_alloc).
  struct Restore {
    ExecContext& c;
    Slot* base;
    Frame* frame = c.frame_top;
    Frame* entry = c.entry_frame;
    Instance* inst = c.inst;
    const uint8_t* end = c.code_end;
    ~Restore() {
      c.frame_top = frame;
      c.entry_frame = entry;
      c.inst = inst;
      c.code_end = end;
      c.stack_top = base;
      c.trap = TrapKind::None;
      c.trap_index = -1;
    }
  } restore{c, base};
  Frame* saved_frame = restore.frame;
  TrapKind k = run_guarded([&] { c.trap = rt::invoke(c, f, base, nullptr); });
  bool fault = k != TrapKind::None;
  if (k == TrapKind::None) k = c.trap;
  if (k == TrapKind::OutOfFuel && __atomic_load_n(&interrupted_, __ATOMIC_RELAXED)) k = TrapKind::Interrupted;
  if (k != TrapKind::None) {
    trap.kind = k;
    if (k == TrapKind::HostError) trap.message = c.trap_message;
    else trap.message = trap_message(k);
    if (c.trap_index >= 0) trap.message += " " + std::to_string(c.trap_index);
    trap.exit_code = c.exit_code;
    if (fault && c.frame_top > saved_frame) {
      // In compiled code the fault's machine pc says where it was.
      const uint8_t* pc = jit_wasm_pc(last_trap_info().machine_pc);
      c.frame_top->pc = pc ? pc : c.fault_pc;
    }
    if (f->instance) trap.backtrace = backtrace(saved_frame + 1, c.frame_top, trap.omitted);
  }
  if (k != TrapKind::None) return trap;
  std::vector<Value> results(ft.results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].type = ft.results[i];
    results[i].bits = base[i];
  }
  return results;
} catch (const std::bad_alloc&) {
  Trap t;
  t.kind = TrapKind::HostError;
  t.message = "out of host memory";
  return t;
}

namespace rt {

TrapKind invoke(ExecContext& ctx, FuncInst* f, Slot* args, Instance* caller) noexcept {
  switch (f->kind) {
    case FuncKind::Host:
      return call_host(ctx, f, args, caller);
    case FuncKind::Compiled:
      return run_compiled(f->jit.entry, args, &ctx, f);
    case FuncKind::Uncompiled:
      if (jit_compile(f, ctx.counts_fuel())) return run_compiled(f->jit.entry, args, &ctx, f);
      [[fallthrough]];
    case FuncKind::Interpreted:
      ctx.stack_top = args;
      return interp_call(ctx, f);
  }
  return TrapKind::Unreachable;
}

}  // namespace rt

}  // namespace wisp
