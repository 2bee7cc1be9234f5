// The in-place interpreter: executes the original function bytes, with the
// validator's side table for control flow. Every opcode has a handler
// function; handlers pass the machine state in argument registers and end
// in a guaranteed tail call of the next handler, so the state never leaves
// registers and each handler gets its own register allocation. See
// INTERPRETER.md beside this file for the design and its measurements.
#include <array>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <new>

#include "runtime/vm/exec.hpp"
#include "runtime/interp/handler_abi.hpp"
#include "runtime/interp/immediates.hpp"
#include "runtime/vm/numeric.hpp"
#include "runtime/interp/simd.hpp"
#include "runtime/vm/helpers.hpp"
#include "runtime/vm/signals.hpp"
#include "runtime/vm/instances.hpp"

// Short names for this file, where every handler is written with them.
#define ARGS WISP_ARGS
#define PASS WISP_PASS

namespace wisp {
namespace {

// Dispatch tables, one per fuel mode and slot width. Defined after the
// handlers. Wide handlers copy whole 16-byte slots; functions that never
// hold a v128 (the validator knows) run the narrow set, which copies 8
// bytes, so SIMD support costs scalar code nothing.
template <bool Fuel, bool Wide>
struct Tables {
  static const std::array<Handler, 256> main;
  static const std::array<Handler, 256> fc;
};


template <class T>
inline T load(const uint8_t* p) {
  return wasm_load<T>(p);
}
template <class T>
inline void store(uint8_t* p, T v) {
  wasm_store<T>(p, v);  // no torn stores at the end of memory (memory.hpp)
}

// Results go to the stack as single 8-byte stores (slot.hpp explains why).
inline void put(Slot& s, uint32_t v) { s.u64 = v; }
inline void put(Slot& s, int32_t v) { s.u64 = uint32_t(v); }
inline void put(Slot& s, float v) { set_f32(s, v); }
inline void put(Slot& s, uint64_t v) { s.u64 = v; }
inline void put(Slot& s, int64_t v) { s.i64 = v; }
inline void put(Slot& s, double v) { s.f64 = v; }

inline void trap_exit(ExecContext* t, const uint8_t* pc, TrapKind k) { interp_trap_exit(t, pc, k); }

// ---- handler plumbing -----------------------------------------------------------

#define DEF(name) \
  template <bool Fuel, bool Wide> \
  WISP_CC void h_##name(ARGS)

template <bool Wide>
inline void copy(Slot& d, const Slot& s) {
  if constexpr (Wide) copy_slot(d, s);
  else d.u64 = s.u64;
}

#if WISP_DISP_REG
#define DISP_TABLE(fuel, wide) static_cast<const Handler*>(disp)
#else
#define DISP_TABLE(fuel, wide) Tables<fuel, wide>::main
#endif

// Dispatch the instruction at pc. With fuel, every instruction costs one.
#define NEXT()                                                          \
  do {                                                                  \
    WISP_CHARGE_FUEL(Fuel)                                              \
    WISP_MUSTTAIL return DISP_TABLE(Fuel, Wide)[*pc](pc + 1, sp, fp, mem, stp, t WISP_DISP_ARG(disp)); \
  } while (0)

// Dispatch into the handler set of another function (after a call or return).
#define NEXT_AS(wide)                                                   \
  do {                                                                  \
    WISP_CHARGE_FUEL(Fuel)                                              \
    if (wide)                                                           \
      WISP_MUSTTAIL return Tables<Fuel, true>::main[*pc](pc + 1, sp, fp, mem, stp, t WISP_DISP_ARG(Tables<Fuel, true>::main.data())); \
    WISP_MUSTTAIL return Tables<Fuel, false>::main[*pc](pc + 1, sp, fp, mem, stp, t WISP_DISP_ARG(Tables<Fuel, false>::main.data())); \
  } while (0)

#define TRAP(kind) return trap_exit(t, pc, (kind))

#define READ_U32(var)                 \
  do {                                \
    uint32_t b_ = *pc;                \
    if (b_ < 0x80) [[likely]] {       \
      var = b_;                       \
      ++pc;                           \
    } else {                          \
      auto r_ = read_u32_slow(pc);    \
      var = r_.value;                 \
      pc = r_.pc;                     \
    }                                 \
  } while (0)

#define SKIP_LEB() \
  do {             \
  } while (*pc++ & 0x80)

// A handler whose (next) immediate is a u32, split in two: the fast one
// takes the one-byte form and tail-calls a twin for longer forms. With the
// LEB loop out of the fast path, the fast handler needs no extra register,
// so the compiler neither shuffles the state nor pushes anything.
// `prefix` runs in the fast handler only, before the immediate.
#define DEF_U32(name, prefix, var, ...)                                   \
  DEF(name##_long) {                                                      \
    auto r_ = read_u32_slow(pc);                                          \
    uint32_t var = r_.value;                                              \
    pc = r_.pc;                                                           \
    __VA_ARGS__                                                           \
  }                                                                       \
  DEF(name) {                                                             \
    prefix;                                                               \
    uint32_t var = *pc;                                                   \
    if (var >= 0x80) [[unlikely]]                                         \
      WISP_MUSTTAIL return h_##name##_long<Fuel, Wide>(PASS);             \
    ++pc;                                                                 \
    __VA_ARGS__                                                           \
  }

// Branch taken: `op` is the branch's opcode byte, e its side-table entry.
// Most branches in compiled code carry no values to move; those that do
// continue in h_BranchDrop, so the common handlers need no spare register
// for the copy loop (with it inline, clang pushed %rbp in every br_if).
#define TAKE_BRANCH(op, e)                                                      \
  do {                                                                          \
    const SideEntry* e_ = (e);                                                  \
    pc = (op) + e_->pc_delta;                                                   \
    if (e_->drop) [[unlikely]] {                                                \
      stp = e_;                                                                 \
      WISP_MUSTTAIL return h_BranchDrop<Fuel, Wide>(PASS);                      \
    }                                                                           \
    stp = e_ + e_->stp_delta;                                                   \
  } while (0)

// The rest of a taken branch that drops values: pc is already the target,
// stp the branch's side-table entry.
template <bool Fuel, bool Wide>
[[gnu::noinline]] WISP_CC void h_BranchDrop(ARGS);

// Enters a wasm function: the arguments on the stack become its first
// locals; the caller's state goes into its frame.
#define ENTER(callee)                                                           \
  do {                                                                          \
    FuncInst* c_ = (callee);                                                    \
    Frame* fr_ = t->frame_top;                                                  \
    fr_->pc = pc;                                                               \
    if (fr_ + 1 >= t->frames_limit ||                                           \
        sp + c_->nlocals + c_->max_height > t->stack_limit) [[unlikely]]        \
      return trap_exit(t, pc, TrapKind::StackExhausted);                        \
    fr_->stp = stp;                                                             \
    fr_->fp = fp;                                                               \
    ++fr_;                                                                      \
    fr_->fn = c_;                                                               \
    t->frame_top = fr_;                                                         \
    fp = sp - c_->nparams;                                                      \
    for (uint32_t i_ = 0, n_ = c_->nlocals; i_ < n_; ++i_) sp[i_] = Slot{};     \
    sp += c_->nlocals;                                                          \
    pc = c_->code;                                                              \
    stp = c_->interp.side_table;                                                       \
    t->code_end = c_->code_end;                                                 \
    if (c_->instance != t->inst) [[unlikely]] {                                 \
      t->inst = c_->instance;                                                   \
      mem = t->inst->mem0;                                                      \
    }                                                                           \
  } while (0)

// Calls a function the interpreter does not run itself (a host function,
// compiled code, one not compiled yet) through the VM's call path, with its
// arguments in place on the stack.
#define CALL_OUT(callee)                                                        \
  do {                                                                          \
    FuncInst* c_ = (callee);                                                    \
    t->frame_top->pc = pc;                                                      \
    Slot* args_ = sp - c_->nparams;                                             \
    t->stack_top = sp;                                                          \
    TrapKind k_ = rt::invoke(*t, c_, args_, t->inst);                           \
    /* this frame's pc is set; a compiled callee left its own frame on top */  \
    if (k_ != TrapKind::None) return (void)(t->trap = k_);                      \
    sp = args_ + c_->nresults;                                                  \
  } while (0)

// Memory faults unwind through a signal; the trap report needs the pc.
#define FAULT_PC() (t->fault_pc = pc)

DEF(illegal) {
  // Validated code never gets here: a corrupt module or a missing handler.
  TRAP(TrapKind::Unreachable);
}

// ---- the handlers, by family ---------------------------------------------------------
#include "runtime/interp/handlers_control.inc"
#include "runtime/interp/handlers_variables.inc"
#include "runtime/interp/handlers_memory.inc"
#include "runtime/interp/handlers_numeric.inc"
#include "runtime/interp/handlers_prefix.inc"

// ---- dispatch tables ------------------------------------------------------------------
template <bool Fuel, bool Wide>
constexpr std::array<Handler, 256> make_main() {
  std::array<Handler, 256> t{};
  for (auto& h : t) h = &h_illegal<Fuel, Wide>;
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) \
  if (prefix == 0x00) t[code] = &h_##name<Fuel, Wide>;
#define WISP_OP_FD(...)
#include "runtime/wasm/opcodes.def"
#undef WISP_OP_FD
#undef WISP_OP
  t[0xFC] = &h_prefix_fc<Fuel, Wide>;
  t[0xFD] = &h_prefix_fd<Fuel, Wide>;
  return t;
}

template <bool Fuel, bool Wide>
constexpr std::array<Handler, 256> make_fc() {
  std::array<Handler, 256> t{};
  for (auto& h : t) h = &h_illegal<Fuel, Wide>;
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) \
  if (prefix == 0xFC) t[code] = &h_##name<Fuel, Wide>;
#define WISP_OP_FD(...)
#include "runtime/wasm/opcodes.def"
#undef WISP_OP_FD
#undef WISP_OP
  return t;
}

template <bool Fuel, bool Wide>
const std::array<Handler, 256> Tables<Fuel, Wide>::main = make_main<Fuel, Wide>();
template <bool Fuel, bool Wide>
const std::array<Handler, 256> Tables<Fuel, Wide>::fc = make_fc<Fuel, Wide>();

// Runs `entry` until it returns to its caller or traps.
TrapKind run(ExecContext& ctx, FuncInst* entry) {
  Frame* frame = ctx.frame_top + 1;
  Slot* fp = ctx.stack_top;
  Slot* sp = fp + entry->nparams;
  if (frame >= ctx.frames_limit || sp + entry->nlocals + entry->max_height > ctx.stack_limit)
    return ctx.trap = TrapKind::StackExhausted;
  frame->fn = entry;
  frame->pc = nullptr;
  ctx.frame_top = frame;
  ctx.entry_frame = frame;
  ctx.inst = entry->instance;
  ctx.code_end = entry->code_end;
  ctx.trap = TrapKind::None;
  for (uint32_t i = 0; i < entry->nlocals; ++i) sp[i] = Slot{};
  sp += entry->nlocals;
  const uint8_t* pc = entry->code;
  uint8_t* mem = ctx.inst->mem0;
  const SideEntry* stp = entry->interp.side_table;
  if (ctx.fuel_enabled) {
    if (ctx.fuel == 0 && !(ctx.tiering && ctx.refill_fuel(ctx.tier_sample)))
      return ctx.trap = TrapKind::OutOfFuel;
    --ctx.fuel;
    if (entry->interp.wide) Tables<true, true>::main[*pc](pc + 1, sp, fp, mem, stp, &ctx WISP_DISP_ARG(Tables<true, true>::main.data()));
    else Tables<true, false>::main[*pc](pc + 1, sp, fp, mem, stp, &ctx WISP_DISP_ARG(Tables<true, false>::main.data()));
  } else {
    if (entry->interp.wide) Tables<false, true>::main[*pc](pc + 1, sp, fp, mem, stp, &ctx WISP_DISP_ARG(Tables<false, true>::main.data()));
    else Tables<false, false>::main[*pc](pc + 1, sp, fp, mem, stp, &ctx WISP_DISP_ARG(Tables<false, false>::main.data()));
  }
  if (ctx.trap == TrapKind::None) ctx.frame_top = frame - 1;
  return ctx.trap;
}

}  // namespace

void interp_trap_exit(ExecContext* t, const uint8_t* pc, TrapKind k) {
  t->frame_top->pc = pc;
  t->trap = k;
}

// Also the way back in from another tier (compiled code calling an
// interpreted function, or the interpreter calling one it could not enter
// directly): an interpreter activation further out keeps its registers in
// ctx, so they are put back when this one returns.
TrapKind interp_call(ExecContext& ctx, FuncInst* fn) {
  Frame* const entry = ctx.entry_frame;
  Instance* const inst = ctx.inst;
  const uint8_t* const code_end = ctx.code_end;
  TrapKind k = run(ctx, fn);
  if (k == TrapKind::None) {
    ctx.entry_frame = entry;
    ctx.inst = inst;
    ctx.code_end = code_end;
  }
  return k;
}

void interp_prepare(const Module& m, FuncInst* funcs, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    const Function& fd = m.funcs[funcs[i].index];
    funcs[i].interp.side_table = m.side_table.data() + fd.side_table;
    funcs[i].interp.wide = fd.uses_v128;
  }
}

}  // namespace wisp
