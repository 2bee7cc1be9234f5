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
#include "runtime/interp/numeric.hpp"
#include "runtime/interp/simd.hpp"
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

// Host calls live out of line: HostContext owns a std::string, and a memory
// fault unwinds the interpreter with siglongjmp (see signals.hpp).
[[gnu::noinline]] TrapKind call_host(ExecContext& ctx, FuncInst* f, Slot* args, Instance* caller) {
  HostContext hc;
  hc.store = caller ? caller->store : nullptr;
  hc.caller = caller;
  hc.data = f->host_data;
  TrapKind k;
  {
    HostCallScope scope;
    // An exception must not cross the interpreter's frames or the guard
    // frame of run_guarded: a host function that throws fails the call.
    try {
      k = f->host(hc, args);
    } catch (const std::bad_alloc&) {
      hc.message = "host function ran out of memory";
      k = TrapKind::HostError;
    } catch (const std::exception& e) {
      hc.message = std::string("host function failed: ") + e.what();
      k = TrapKind::HostError;
    } catch (...) {
      hc.message = "host function threw an exception";
      k = TrapKind::HostError;
    }
  }
  if (k != TrapKind::None) {
    ctx.trap_message = std::move(hc.message);
    ctx.exit_code = hc.exit_code;
  }
  return k;
}

// Bulk operations: explicit bounds checks (the spec traps before writing
// anything), libc for the work.
[[gnu::noinline]] TrapKind memory_fill(MemoryInst* m, uint32_t d, uint32_t val, uint32_t n) {
  if (uint64_t(d) + n > m->mem.size()) return TrapKind::MemoryOutOfBounds;
  std::memset(m->mem.base() + d, int(val & 0xFF), n);
  return TrapKind::None;
}
[[gnu::noinline]] TrapKind memory_copy(MemoryInst* dm, MemoryInst* sm, uint32_t d, uint32_t s,
                                       uint32_t n) {
  if (uint64_t(d) + n > dm->mem.size() || uint64_t(s) + n > sm->mem.size())
    return TrapKind::MemoryOutOfBounds;
  std::memmove(dm->mem.base() + d, sm->mem.base() + s, n);
  return TrapKind::None;
}
[[gnu::noinline]] TrapKind memory_init(Instance* inst, uint32_t seg, MemoryInst* m, uint32_t d,
                                       uint32_t s, uint32_t n) {
  const DataSegment& ds = inst->module->datas[seg];
  uint64_t size = inst->data_dropped[seg] ? 0 : ds.data_size;
  if (uint64_t(s) + n > size || uint64_t(d) + n > m->mem.size()) return TrapKind::MemoryOutOfBounds;
  std::memcpy(m->mem.base() + d, inst->module->bytes + ds.data_offset + s, n);
  return TrapKind::None;
}
[[gnu::noinline]] TrapKind table_init(Instance* inst, uint32_t seg, TableInst* t, uint32_t d,
                                      uint32_t s, uint32_t n) {
  const std::vector<Ref>& refs = inst->elems[seg].refs;
  if (uint64_t(s) + n > refs.size() || uint64_t(d) + n > t->elems.size())
    return TrapKind::TableOutOfBounds;
  if (n) std::memcpy(t->elems.data() + d, refs.data() + s, n * sizeof(Ref));
  return TrapKind::None;
}
[[gnu::noinline]] TrapKind table_copy(TableInst* dt, TableInst* st, uint32_t d, uint32_t s,
                                      uint32_t n) {
  if (uint64_t(s) + n > st->elems.size() || uint64_t(d) + n > dt->elems.size())
    return TrapKind::TableOutOfBounds;
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(Ref));
  return TrapKind::None;
}
[[gnu::noinline]] TrapKind table_fill(TableInst* t, uint32_t d, Ref val, uint32_t n) {
  if (uint64_t(d) + n > t->elems.size()) return TrapKind::TableOutOfBounds;
  for (uint32_t i = 0; i < n; ++i) t->elems[d + i] = val;
  return TrapKind::None;
}
[[gnu::noinline]] void elem_drop(Instance* inst, uint32_t seg) {
  std::vector<Ref>().swap(inst->elems[seg].refs);
}

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
    stp = c_->side_table;                                                       \
    t->code_end = c_->code_end;                                                 \
    if (c_->instance != t->inst) [[unlikely]] {                                 \
      t->inst = c_->instance;                                                   \
      mem = t->inst->mem0;                                                      \
    }                                                                           \
  } while (0)

// Calls a host function with its arguments in place on the stack.
#define CALL_HOST(callee)                                                       \
  do {                                                                          \
    FuncInst* c_ = (callee);                                                    \
    t->frame_top->pc = pc;                                                      \
    Slot* args_ = sp - c_->nparams;                                             \
    t->stack_top = sp;                                                          \
    TrapKind k_ = call_host(*t, c_, args_, t->inst);                            \
    if (k_ != TrapKind::None) TRAP(k_);                                         \
    sp = args_ + c_->nresults;                                                  \
  } while (0)

// Memory faults unwind through a signal; the trap report needs the pc.
#define FAULT_PC() (t->fault_pc = pc)

DEF(illegal) {
  // Validated code never gets here: a corrupt module or a missing handler.
  TRAP(TrapKind::Unreachable);
}

// ---- control ------------------------------------------------------------------------
DEF(Unreachable) { TRAP(TrapKind::Unreachable); }
DEF(Nop) { NEXT(); }
// `block` does nothing but skip its block type, and compilers nest it
// deeply (a C switch becomes one `block` per case, all entered on every
// pass of the loop around it), so `block`/`loop` also step over the
// `block`s with an empty type that follow: one 2-byte compare each instead
// of a dispatch. (A general loop over block and loop with any block type
// was slower: a second branch per step.) Two bytes are always there: a
// block is followed by at least its own `end` and the function's. With fuel
// each `block` still counts as one instruction.
#define SKIP_EMPTY_BLOCKS()                                                 \
  do {                                                                      \
    if constexpr (!Fuel) {                                                  \
      uint16_t op_;                                                         \
      while (std::memcpy(&op_, pc, 2), op_ == 0x4002) pc += 2; /* 02 40 */  \
    }                                                                       \
  } while (0)
DEF(Block) {
  SKIP_LEB();  // block type
  SKIP_EMPTY_BLOCKS();
  NEXT();
}
DEF(Loop) {
  SKIP_LEB();
  SKIP_EMPTY_BLOCKS();
  NEXT();
}
DEF(If) {
  uint32_t c = (--sp)->u32;
  if (c) {
    SKIP_LEB();
    ++stp;
    NEXT();
  }
  TAKE_BRANCH(pc - 1, stp);
  NEXT();
}
DEF(Else) {
  TAKE_BRANCH(pc - 1, stp);
  NEXT();
}
template <bool Fuel, bool Wide>
[[gnu::noinline]] WISP_CC void h_BranchDrop(ARGS) {
  const SideEntry* e = stp;
  uint32_t keep = e->keep, drop = e->drop;
  Slot* dst = sp - keep - drop;
  for (uint32_t i = 0; i < keep; ++i) copy<Wide>(dst[i], sp[int64_t(i) - keep]);
  sp -= drop;
  stp = e + e->stp_delta;
  NEXT();
}
DEF(Return);
DEF(End) {
  if (pc - 1 != t->code_end) [[likely]] NEXT();
  WISP_MUSTTAIL return h_Return<Fuel, Wide>(PASS);
}
DEF(Br) {
  TAKE_BRANCH(pc - 1, stp);
  NEXT();
}
DEF(BrIf) {
  uint32_t c = (--sp)->u32;
  if (c) {
    TAKE_BRANCH(pc - 1, stp);
    NEXT();
  }
  SKIP_LEB();
  ++stp;
  NEXT();
}
DEF(BrTable) {
  const uint8_t* op = pc - 1;
  uint32_t n;
  READ_U32(n);
  uint32_t i = (--sp)->u32;
  if (i > n) i = n;
  TAKE_BRANCH(op, stp + i);
  NEXT();
}
DEF(Return) {
  Frame* fr = t->frame_top;
  uint32_t n = fr->fn->nresults;
  Slot* src = sp - n;
  for (uint32_t i = 0; i < n; ++i) copy<Wide>(fp[i], src[i]);
  sp = fp + n;
  if (fr == t->entry_frame) return;  // back to interp_call
  --fr;
  t->frame_top = fr;
  pc = fr->pc;
  stp = fr->stp;
  fp = fr->fp;
  FuncInst* f = fr->fn;
  t->code_end = f->code_end;
  if (f->instance != t->inst) [[unlikely]] {
    t->inst = f->instance;
    mem = t->inst->mem0;
  }
  NEXT_AS(f->wide);
}
// Calls to host functions continue in their own handler: the out-of-line
// call there needs callee-saved registers, and having it in h_Call made
// GCC push and pop six of them on every wasm-to-wasm call.
template <bool Fuel, bool Wide>
[[gnu::noinline]] WISP_CC void h_CallHost(ARGS) {  // noinline: the point of the split
  FuncInst* callee = t->pending_callee;
  CALL_HOST(callee);
  NEXT();
}
DEF_U32(Call, , idx, {
  FuncInst* callee = t->inst->funcs[idx];
  if (callee->host) [[unlikely]] {
    t->pending_callee = callee;
    WISP_MUSTTAIL return h_CallHost<Fuel, Wide>(PASS);
  }
  ENTER(callee);
  NEXT_AS(callee->wide);
})
DEF(CallIndirect) {
  uint32_t type_idx, table_idx;
  READ_U32(type_idx);
  READ_U32(table_idx);
  uint32_t i = (--sp)->u32;
  Instance* inst = t->inst;
  TableInst* tab = inst->tables[table_idx];
  if (i >= tab->elems.size()) [[unlikely]] {
    t->trap_index = i;
    TRAP(TrapKind::UndefinedElement);
  }
  FuncInst* callee = static_cast<FuncInst*>(tab->elems[i]);
  if (!callee) [[unlikely]] {
    t->trap_index = i;
    TRAP(TrapKind::UninitializedElement);
  }
  if (callee->type_id != inst->type_ids[type_idx]) [[unlikely]]
    TRAP(TrapKind::IndirectCallTypeMismatch);
  if (callee->host) [[unlikely]] {
    t->pending_callee = callee;
    WISP_MUSTTAIL return h_CallHost<Fuel, Wide>(PASS);
  }
  ENTER(callee);
  NEXT_AS(callee->wide);
}

// ---- parametric -----------------------------------------------------------------------
DEF(Drop) {
  --sp;
  NEXT();
}
DEF(Select) {
  uint32_t c = (--sp)->u32;
  --sp;
  if (!c) copy<Wide>(sp[-1], sp[0]);
  NEXT();
}
DEF(SelectT) {
  SKIP_LEB();  // count (always 1)
  SKIP_LEB();  // the type
  uint32_t c = (--sp)->u32;
  --sp;
  if (!c) copy<Wide>(sp[-1], sp[0]);
  NEXT();
}

// ---- variables ------------------------------------------------------------------------
DEF_U32(LocalGet, , idx, {
  copy<Wide>(*sp, fp[idx]);
  ++sp;
  NEXT();
})
DEF_U32(LocalSet, , idx, {
  --sp;
  copy<Wide>(fp[idx], *sp);
  NEXT();
})
DEF_U32(LocalTee, , idx, {
  copy<Wide>(fp[idx], sp[-1]);
  NEXT();
})
DEF_U32(GlobalGet, , idx, {
  copy<Wide>(*sp, t->inst->globals[idx]->value);
  ++sp;
  NEXT();
})
DEF_U32(GlobalSet, , idx, {
  --sp;
  copy<Wide>(t->inst->globals[idx]->value, *sp);
  NEXT();
})
DEF(TableGet) {
  uint32_t idx;
  READ_U32(idx);
  TableInst* tab = t->inst->tables[idx];
  uint32_t i = sp[-1].u32;
  if (i >= tab->elems.size()) TRAP(TrapKind::TableOutOfBounds);
  sp[-1].ref = tab->elems[i];
  NEXT();
}
DEF(TableSet) {
  uint32_t idx;
  READ_U32(idx);
  TableInst* tab = t->inst->tables[idx];
  Ref v = sp[-1].ref;
  uint32_t i = sp[-2].u32;
  sp -= 2;
  if (i >= tab->elems.size()) TRAP(TrapKind::TableOutOfBounds);
  tab->elems[i] = v;
  NEXT();
}

// ---- memory ---------------------------------------------------------------------------
// No bounds checks: a 32-bit address plus offset stays inside the memory's
// 8 GiB reservation, and a fault there becomes a trap (signals.hpp).
// The alignment immediate is skipped; the offset is the u32 of DEF_U32.
#define LOAD_OP(name, T, field, R)                  \
  DEF_U32(name, SKIP_LEB(), off, {                  \
    FAULT_PC();                                     \
    uint64_t ea = uint64_t(sp[-1].u32) + off;       \
    put(sp[-1], R(load<T>(mem + ea)));              \
    NEXT();                                         \
  })
#define STORE_OP(name, T, field)                    \
  DEF_U32(name, SKIP_LEB(), off, {                  \
    FAULT_PC();                                     \
    uint64_t ea = uint64_t(sp[-2].u32) + off;       \
    store<T>(mem + ea, T(sp[-1].field));            \
    sp -= 2;                                        \
    NEXT();                                         \
  })
LOAD_OP(I32Load, uint32_t, u32, uint32_t)
LOAD_OP(I64Load, uint64_t, u64, uint64_t)
LOAD_OP(F32Load, uint32_t, u32, uint32_t)
LOAD_OP(F64Load, uint64_t, u64, uint64_t)
LOAD_OP(I32Load8S, int8_t, i32, int32_t)
LOAD_OP(I32Load8U, uint8_t, u32, uint32_t)
LOAD_OP(I32Load16S, int16_t, i32, int32_t)
LOAD_OP(I32Load16U, uint16_t, u32, uint32_t)
LOAD_OP(I64Load8S, int8_t, i64, int64_t)
LOAD_OP(I64Load8U, uint8_t, u64, uint64_t)
LOAD_OP(I64Load16S, int16_t, i64, int64_t)
LOAD_OP(I64Load16U, uint16_t, u64, uint64_t)
LOAD_OP(I64Load32S, int32_t, i64, int64_t)
LOAD_OP(I64Load32U, uint32_t, u64, uint64_t)
STORE_OP(I32Store, uint32_t, u32)
STORE_OP(I64Store, uint64_t, u64)
STORE_OP(F32Store, uint32_t, u32)
STORE_OP(F64Store, uint64_t, u64)
STORE_OP(I32Store8, uint8_t, u32)
STORE_OP(I32Store16, uint16_t, u32)
STORE_OP(I64Store8, uint8_t, u64)
STORE_OP(I64Store16, uint16_t, u64)
STORE_OP(I64Store32, uint32_t, u64)
DEF(MemorySize) {
  ++pc;  // memory index (a zero byte in 2.0)
  put(*sp, uint32_t(t->inst->memories[0]->mem.pages()));
  ++sp;
  NEXT();
}
DEF(MemoryGrow) {
  ++pc;
  // The base never moves (the reservation is fixed), so mem stays valid.
  int64_t r = t->inst->memories[0]->grow(sp[-1].u32);
  put(sp[-1], uint32_t(int32_t(r)));
  NEXT();
}

// ---- constants ------------------------------------------------------------------------
// Constants: one-byte forms here, longer ones in out-of-path twins.
DEF(I32Const_long) {
  auto r = read_s32_slow(pc);
  pc = r.pc;
  put(*sp, r.value);
  ++sp;
  NEXT();
}
DEF(I32Const) {
  uint32_t b = *pc;
  if (b & 0x80) [[unlikely]] WISP_MUSTTAIL return h_I32Const_long<Fuel, Wide>(PASS);
  ++pc;
  put(*sp, int32_t(b << 25) >> 25);
  ++sp;
  NEXT();
}
DEF(I64Const_long) {
  auto r = read_s64_slow(pc);
  pc = r.pc;
  sp->i64 = r.value;
  ++sp;
  NEXT();
}
DEF(I64Const) {
  uint32_t b = *pc;
  if (b & 0x80) [[unlikely]] WISP_MUSTTAIL return h_I64Const_long<Fuel, Wide>(PASS);
  ++pc;
  sp->i64 = int64_t(int32_t(b << 25) >> 25);
  ++sp;
  NEXT();
}
DEF(F32Const) {
  uint32_t bits;
  std::memcpy(&bits, pc, 4);
  sp->u64 = bits;
  pc += 4;
  ++sp;
  NEXT();
}
DEF(F64Const) {
  std::memcpy(&sp->u64, pc, 8);
  pc += 8;
  ++sp;
  NEXT();
}

// ---- numeric --------------------------------------------------------------------------
#define UNOP(name, field, expr) \
  DEF(name) {                   \
    auto a = sp[-1].field;      \
    (void)a;                    \
    put(sp[-1], decltype(sp[-1].field)(expr)); \
    NEXT();                     \
  }
#define UNOP2(name, in, out, expr) \
  DEF(name) {                      \
    auto a = sp[-1].in;            \
    put(sp[-1], decltype(sp[-1].out)(expr)); \
    NEXT();                        \
  }
#define BINOP(name, field, expr) \
  DEF(name) {                    \
    auto b = sp[-1].field;       \
    auto a = sp[-2].field;       \
    --sp;                        \
    put(sp[-1], decltype(sp[-1].field)(expr)); \
    NEXT();                      \
  }
#define CMPOP(name, field, expr)   \
  DEF(name) {                      \
    auto b = sp[-1].field;         \
    auto a = sp[-2].field;         \
    --sp;                          \
    put(sp[-1], uint32_t((expr) ? 1 : 0)); \
    NEXT();                        \
  }

UNOP2(I32Eqz, u32, u32, a == 0)
CMPOP(I32Eq, u32, a == b)
CMPOP(I32Ne, u32, a != b)
CMPOP(I32LtS, i32, a < b)
CMPOP(I32LtU, u32, a < b)
CMPOP(I32GtS, i32, a > b)
CMPOP(I32GtU, u32, a > b)
CMPOP(I32LeS, i32, a <= b)
CMPOP(I32LeU, u32, a <= b)
CMPOP(I32GeS, i32, a >= b)
CMPOP(I32GeU, u32, a >= b)
UNOP2(I64Eqz, u64, u32, a == 0)
CMPOP(I64Eq, u64, a == b)
CMPOP(I64Ne, u64, a != b)
CMPOP(I64LtS, i64, a < b)
CMPOP(I64LtU, u64, a < b)
CMPOP(I64GtS, i64, a > b)
CMPOP(I64GtU, u64, a > b)
CMPOP(I64LeS, i64, a <= b)
CMPOP(I64LeU, u64, a <= b)
CMPOP(I64GeS, i64, a >= b)
CMPOP(I64GeU, u64, a >= b)
CMPOP(F32Eq, f32, a == b)
CMPOP(F32Ne, f32, a != b)
CMPOP(F32Lt, f32, a < b)
CMPOP(F32Gt, f32, a > b)
CMPOP(F32Le, f32, a <= b)
CMPOP(F32Ge, f32, a >= b)
CMPOP(F64Eq, f64, a == b)
CMPOP(F64Ne, f64, a != b)
CMPOP(F64Lt, f64, a < b)
CMPOP(F64Gt, f64, a > b)
CMPOP(F64Le, f64, a <= b)
CMPOP(F64Ge, f64, a >= b)

UNOP(I32Clz, u32, a ? uint32_t(__builtin_clz(a)) : 32u)
UNOP(I32Ctz, u32, a ? uint32_t(__builtin_ctz(a)) : 32u)
UNOP(I32Popcnt, u32, uint32_t(__builtin_popcount(a)))
BINOP(I32Add, u32, a + b)
BINOP(I32Sub, u32, a - b)
BINOP(I32Mul, u32, a * b)
// Division traps on a zero divisor; signed division also on MIN / -1,
// whose remainder is 0 (C++ leaves both undefined).
#define DIVOP(name, field, T, overflow_traps, expr)                        \
  DEF(name) {                                                              \
    T b = sp[-1].field, a = sp[-2].field;                                  \
    if (b == 0) TRAP(TrapKind::IntegerDivideByZero);                       \
    if constexpr (overflow_traps)                                          \
      if (a == std::numeric_limits<T>::min() && b == T(-1)) TRAP(TrapKind::IntegerOverflow); \
    --sp;                                                                  \
    put(sp[-1], T(expr));                                                  \
    NEXT();                                                                \
  }
DIVOP(I32DivS, i32, int32_t, true, a / b)
DIVOP(I32DivU, u32, uint32_t, false, a / b)
DIVOP(I32RemS, i32, int32_t, false, b == -1 ? 0 : a % b)
DIVOP(I32RemU, u32, uint32_t, false, a % b)
BINOP(I32And, u32, a & b)
BINOP(I32Or, u32, a | b)
BINOP(I32Xor, u32, a ^ b)
BINOP(I32Shl, u32, a << (b & 31))
BINOP(I32ShrS, i32, a >> (b & 31))
BINOP(I32ShrU, u32, a >> (b & 31))
BINOP(I32Rotl, u32, num::rotl(a, b))
BINOP(I32Rotr, u32, num::rotr(a, b))
UNOP(I64Clz, u64, a ? uint64_t(__builtin_clzll(a)) : 64u)
UNOP(I64Ctz, u64, a ? uint64_t(__builtin_ctzll(a)) : 64u)
UNOP(I64Popcnt, u64, uint64_t(__builtin_popcountll(a)))
BINOP(I64Add, u64, a + b)
BINOP(I64Sub, u64, a - b)
BINOP(I64Mul, u64, a * b)
DIVOP(I64DivS, i64, int64_t, true, a / b)
DIVOP(I64DivU, u64, uint64_t, false, a / b)
DIVOP(I64RemS, i64, int64_t, false, b == -1 ? 0 : a % b)
DIVOP(I64RemU, u64, uint64_t, false, a % b)
BINOP(I64And, u64, a & b)
BINOP(I64Or, u64, a | b)
BINOP(I64Xor, u64, a ^ b)
BINOP(I64Shl, u64, a << (b & 63))
BINOP(I64ShrS, i64, a >> (b & 63))
BINOP(I64ShrU, u64, a >> (b & 63))
BINOP(I64Rotl, u64, num::rotl(a, b))
BINOP(I64Rotr, u64, num::rotr(a, b))

// Sign manipulation works on the bits: a NaN's payload must survive.
UNOP(F32Abs, u32, a & 0x7FFFFFFFu)
UNOP(F32Neg, u32, a ^ 0x80000000u)
UNOP(F32Ceil, f32, num::ceil(a))
UNOP(F32Floor, f32, num::floor(a))
UNOP(F32Trunc, f32, num::trunc(a))
UNOP(F32Nearest, f32, num::nearest(a))
UNOP(F32Sqrt, f32, std::sqrt(a))
BINOP(F32Add, f32, a + b)
BINOP(F32Sub, f32, a - b)
BINOP(F32Mul, f32, a * b)
BINOP(F32Div, f32, a / b)
BINOP(F32Min, f32, num::fmin(a, b))
BINOP(F32Max, f32, num::fmax(a, b))
BINOP(F32Copysign, u32, (a & 0x7FFFFFFFu) | (b & 0x80000000u))
UNOP(F64Abs, u64, a & 0x7FFFFFFFFFFFFFFFull)
UNOP(F64Neg, u64, a ^ 0x8000000000000000ull)
UNOP(F64Ceil, f64, num::ceil(a))
UNOP(F64Floor, f64, num::floor(a))
UNOP(F64Trunc, f64, num::trunc(a))
UNOP(F64Nearest, f64, num::nearest(a))
UNOP(F64Sqrt, f64, std::sqrt(a))
BINOP(F64Add, f64, a + b)
BINOP(F64Sub, f64, a - b)
BINOP(F64Mul, f64, a * b)
BINOP(F64Div, f64, a / b)
BINOP(F64Min, f64, num::fmin(a, b))
BINOP(F64Max, f64, num::fmax(a, b))
BINOP(F64Copysign, u64, (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

// ---- conversions ----------------------------------------------------------------------
#define TRUNC_OP(name, I, in, out)              \
  DEF(name) {                                   \
    auto a = sp[-1].in;                         \
    TrapKind k = num::trunc_check<I>(a);        \
    if (k != TrapKind::None) TRAP(k);           \
    put(sp[-1], I(a));                          \
    NEXT();                                     \
  }
UNOP2(I32WrapI64, u64, u32, uint32_t(a))
TRUNC_OP(I32TruncF32S, int32_t, f32, i32)
TRUNC_OP(I32TruncF32U, uint32_t, f32, u32)
TRUNC_OP(I32TruncF64S, int32_t, f64, i32)
TRUNC_OP(I32TruncF64U, uint32_t, f64, u32)
UNOP2(I64ExtendI32S, i32, i64, int64_t(a))
UNOP2(I64ExtendI32U, u32, u64, uint64_t(a))
TRUNC_OP(I64TruncF32S, int64_t, f32, i64)
TRUNC_OP(I64TruncF32U, uint64_t, f32, u64)
TRUNC_OP(I64TruncF64S, int64_t, f64, i64)
TRUNC_OP(I64TruncF64U, uint64_t, f64, u64)
UNOP2(F32ConvertI32S, i32, f32, float(a))
UNOP2(F32ConvertI32U, u32, f32, float(a))
UNOP2(F32ConvertI64S, i64, f32, float(a))
UNOP2(F32ConvertI64U, u64, f32, float(a))
UNOP2(F32DemoteF64, f64, f32, float(a))
UNOP2(F64ConvertI32S, i32, f64, double(a))
UNOP2(F64ConvertI32U, u32, f64, double(a))
UNOP2(F64ConvertI64S, i64, f64, double(a))
UNOP2(F64ConvertI64U, u64, f64, double(a))
UNOP2(F64PromoteF32, f32, f64, double(a))
// Reinterpretations are free: a slot is untyped bits.
DEF(I32ReinterpretF32) { NEXT(); }
DEF(I64ReinterpretF64) { NEXT(); }
DEF(F32ReinterpretI32) { NEXT(); }
DEF(F64ReinterpretI64) { NEXT(); }
UNOP(I32Extend8S, i32, int32_t(int8_t(a)))
UNOP(I32Extend16S, i32, int32_t(int16_t(a)))
UNOP(I64Extend8S, i64, int64_t(int8_t(a)))
UNOP(I64Extend16S, i64, int64_t(int16_t(a)))
UNOP(I64Extend32S, i64, int64_t(int32_t(a)))

// ---- references -----------------------------------------------------------------------
DEF(RefNull) {
  ++pc;  // heap type
  sp->ref = nullptr;
  ++sp;
  NEXT();
}
DEF(RefIsNull) {
  put(sp[-1], uint32_t(sp[-1].ref == nullptr ? 1 : 0));
  NEXT();
}
DEF(RefFunc) {
  uint32_t idx;
  READ_U32(idx);
  sp->ref = t->inst->funcs[idx];
  ++sp;
  NEXT();
}

// ---- 0xFC prefix ----------------------------------------------------------------------
DEF(prefix_fc) {
  uint32_t sub;
  READ_U32(sub);
  if (sub > 255) [[unlikely]] TRAP(TrapKind::Unreachable);
  WISP_MUSTTAIL return Tables<Fuel, Wide>::fc[sub](PASS);
}
UNOP2(I32TruncSatF32S, f32, i32, num::trunc_sat<int32_t>(a))
UNOP2(I32TruncSatF32U, f32, u32, num::trunc_sat<uint32_t>(a))
UNOP2(I32TruncSatF64S, f64, i32, num::trunc_sat<int32_t>(a))
UNOP2(I32TruncSatF64U, f64, u32, num::trunc_sat<uint32_t>(a))
UNOP2(I64TruncSatF32S, f32, i64, num::trunc_sat<int64_t>(a))
UNOP2(I64TruncSatF32U, f32, u64, num::trunc_sat<uint64_t>(a))
UNOP2(I64TruncSatF64S, f64, i64, num::trunc_sat<int64_t>(a))
UNOP2(I64TruncSatF64U, f64, u64, num::trunc_sat<uint64_t>(a))

#define BULK(call)                           \
  do {                                       \
    TrapKind k_ = (call);                    \
    if (k_ != TrapKind::None) TRAP(k_);      \
  } while (0)

// With fuel, a bulk instruction also pays for its size (limits.hpp), before
// it does anything.
#define CHARGE_SIZE(count, per_unit)                                   \
  do {                                                                 \
    if constexpr (Fuel) {                                              \
      uint64_t cost_ = uint64_t(count) / (per_unit);                   \
      if (cost_ > t->fuel) {                                           \
        t->fuel = 0;                                                   \
        TRAP(TrapKind::OutOfFuel);                                     \
      }                                                                \
      t->fuel -= cost_;                                                \
    }                                                                  \
  } while (0)

DEF(MemoryInit) {
  uint32_t seg;
  READ_U32(seg);
  ++pc;
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  CHARGE_SIZE(n, kBulkBytesPerFuel);
  BULK(memory_init(t->inst, seg, t->inst->memories[0], d, s, n));
  NEXT();
}
DEF(DataDrop) {
  uint32_t seg;
  READ_U32(seg);
  t->inst->data_dropped[seg] = 1;
  NEXT();
}
DEF(MemoryCopy) {
  pc += 2;
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  MemoryInst* m = t->inst->memories[0];
  CHARGE_SIZE(n, kBulkBytesPerFuel);
  BULK(memory_copy(m, m, d, s, n));
  NEXT();
}
DEF(MemoryFill) {
  ++pc;
  uint32_t n = sp[-1].u32, v = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  CHARGE_SIZE(n, kBulkBytesPerFuel);
  BULK(memory_fill(t->inst->memories[0], d, v, n));
  NEXT();
}
DEF(TableInit) {
  uint32_t seg, tidx;
  READ_U32(seg);
  READ_U32(tidx);
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  CHARGE_SIZE(n, kBulkElemsPerFuel);
  BULK(table_init(t->inst, seg, t->inst->tables[tidx], d, s, n));
  NEXT();
}
DEF(ElemDrop) {
  uint32_t seg;
  READ_U32(seg);
  elem_drop(t->inst, seg);
  NEXT();
}
DEF(TableCopy) {
  uint32_t dt, st;
  READ_U32(dt);
  READ_U32(st);
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  CHARGE_SIZE(n, kBulkElemsPerFuel);
  BULK(table_copy(t->inst->tables[dt], t->inst->tables[st], d, s, n));
  NEXT();
}
DEF(TableGrow) {
  uint32_t idx;
  READ_U32(idx);
  uint32_t n = sp[-1].u32;
  Ref init = sp[-2].ref;
  --sp;
  CHARGE_SIZE(n, kBulkElemsPerFuel);
  put(sp[-1], uint32_t(int32_t(t->inst->tables[idx]->grow(n, init))));
  NEXT();
}
DEF(TableSize) {
  uint32_t idx;
  READ_U32(idx);
  put(*sp, uint32_t(t->inst->tables[idx]->elems.size()));
  ++sp;
  NEXT();
}
DEF(TableFill) {
  uint32_t idx;
  READ_U32(idx);
  uint32_t n = sp[-1].u32;
  Ref v = sp[-2].ref;
  uint32_t d = sp[-3].u32;
  sp -= 3;
  CHARGE_SIZE(n, kBulkElemsPerFuel);
  BULK(table_fill(t->inst->tables[idx], d, v, n));
  NEXT();
}

// ---- 0xFD prefix: SIMD, out of line (simd_*.cpp) --------------------------------------
DEF(prefix_fd) {
#if WISP_DISP_REG
  // The handler's tail-call twin takes over the chain (simd_impl.hpp).
  uint32_t sub;
  READ_U32(sub);
  if (sub >= 256) [[unlikely]] TRAP(TrapKind::Unreachable);
  FAULT_PC();
  WISP_MUSTTAIL return simd_tail_handlers()[Fuel][sub](PASS);
#else
  uint32_t sub;
  READ_U32(sub);
  SimdHandler h = sub < 256 ? simd_handlers()[sub] : nullptr;
  if (!h) [[unlikely]] TRAP(TrapKind::Unreachable);
  FAULT_PC();
  SimdResult r = h(sp, pc, mem);
  sp = r.sp;
  pc = r.pc;
  NEXT();
#endif
}

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
  const SideEntry* stp = entry->side_table;
  if (ctx.fuel_enabled) {
    if (ctx.fuel == 0) return ctx.trap = TrapKind::OutOfFuel;
    --ctx.fuel;
    if (entry->wide) Tables<true, true>::main[*pc](pc + 1, sp, fp, mem, stp, &ctx WISP_DISP_ARG(Tables<true, true>::main.data()));
    else Tables<true, false>::main[*pc](pc + 1, sp, fp, mem, stp, &ctx WISP_DISP_ARG(Tables<true, false>::main.data()));
  } else {
    if (entry->wide) Tables<false, true>::main[*pc](pc + 1, sp, fp, mem, stp, &ctx WISP_DISP_ARG(Tables<false, true>::main.data()));
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

TrapKind interp_call(ExecContext& ctx, FuncInst* fn) {
  ctx.trap = TrapKind::None;
  if (fn->host) {
    TrapKind k = call_host(ctx, fn, ctx.stack_top, nullptr);
    ctx.trap = k;
    return k;
  }
  return run(ctx, fn);
}

}  // namespace wisp
