// The in-place interpreter: executes the original function bytes, with the
// validator's side table for control flow. See INTERPRETER.md beside this
// file for the design and the measurements behind it.
#include <cmath>
#include <cstring>
#include <atomic>
#include <mutex>

#include "runtime/interp/exec.hpp"
#include "runtime/interp/numeric.hpp"
#include "runtime/signals.hpp"
#include "runtime/store.hpp"

namespace wisp {
namespace {

// Immediates in validated code are well-formed LEB128; one byte is the
// overwhelmingly common case and is decoded inline.
[[gnu::noinline]] uint32_t read_u32_slow(const uint8_t*& pc) {
  uint32_t result = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *pc++;
    result |= uint32_t(b & 0x7F) << shift;
    shift += 7;
  } while (b & 0x80);
  return result;
}

[[gnu::noinline]] int32_t read_s32_slow(const uint8_t*& pc) {
  uint32_t result = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *pc++;
    result |= uint32_t(b & 0x7F) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && (b & 0x40)) result |= ~uint32_t(0) << shift;
  return int32_t(result);
}

[[gnu::noinline]] int64_t read_s64_slow(const uint8_t*& pc) {
  uint64_t result = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *pc++;
    result |= uint64_t(b & 0x7F) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 64 && (b & 0x40)) result |= ~uint64_t(0) << shift;
  return int64_t(result);
}

template <class T>
inline T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class T>
inline void store(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

// Host calls live out of line: HostContext owns a std::string, and the
// interpreter loop must hold no object with a destructor (a memory fault
// unwinds it with siglongjmp; see signals.hpp).
[[gnu::noinline]] TrapKind call_host(ExecContext& ctx, FuncInst* f, Slot* args, Instance* caller) {
  HostContext hc;
  hc.store = caller ? caller->store : nullptr;
  hc.caller = caller;
  hc.data = f->host_data;
  TrapKind k;
  {
    HostCallScope scope;
    k = f->host(hc, args);
  }
  if (k != TrapKind::None) {
    ctx.trap_message = std::move(hc.message);
    ctx.exit_code = hc.exit_code;
  }
  return k;
}

// Bulk operations: explicit bounds checks (the spec traps before writing
// anything) and libc for the work.
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
  std::memcpy(t->elems.data() + d, refs.data() + s, n * sizeof(Ref));
  return TrapKind::None;
}
[[gnu::noinline]] TrapKind table_copy(TableInst* dt, TableInst* st, uint32_t d, uint32_t s,
                                      uint32_t n) {
  if (uint64_t(s) + n > st->elems.size() || uint64_t(d) + n > dt->elems.size())
    return TrapKind::TableOutOfBounds;
  std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(Ref));
  return TrapKind::None;
}
[[gnu::noinline]] TrapKind table_fill(TableInst* t, uint32_t d, Ref val, uint32_t n) {
  if (uint64_t(d) + n > t->elems.size()) return TrapKind::TableOutOfBounds;
  for (uint32_t i = 0; i < n; ++i) t->elems[d + i] = val;
  return TrapKind::None;
}

enum : uint8_t { kTableMain, kTableFc, kTableFuel, kTableCount };

TrapKind run(ExecContext& ctx, FuncInst* entry_fn) {
  // Label addresses exist only inside this function, so the dispatch tables
  // are filled on first entry.
  static const void* tables[kTableCount][256];
  static std::atomic<bool> ready{false};
  if (!ready.load(std::memory_order_acquire)) [[unlikely]] {
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    if (!ready.load(std::memory_order_relaxed)) {
      for (int i = 0; i < 256; ++i) {
        tables[kTableMain][i] = &&L_illegal;
        tables[kTableFc][i] = &&L_illegal;
        tables[kTableFuel][i] = &&L_fuel;
      }
#define WISP_OP(name, text, prefix, code, imm, size, p1, p2, p3, r) \
      if (prefix == 0x00) tables[kTableMain][code] = &&L_##name;      \
      if (prefix == 0xFC) tables[kTableFc][code] = &&L_##name;
#define WISP_OP_FD(...)
#include "runtime/opcodes.def"
#undef WISP_OP_FD
#undef WISP_OP
      tables[kTableMain][0xFC] = &&L_prefix_fc;
      tables[kTableMain][0xFD] = &&L_prefix_fd;
      ready.store(true, std::memory_order_release);
    }
  }

  const void* const* const main_table = tables[kTableMain];
  const void* const* dispatch = ctx.fuel_enabled ? tables[kTableFuel] : main_table;

  // Machine state, kept in locals so the compiler can hold it in registers.
  FuncInst* fn = entry_fn;
  Frame* frame = ctx.frame_top + 1;
  Frame* const entry_frame = frame;
  Slot* fp = ctx.stack_top;
  Slot* sp = fp + fn->nparams;
  const uint8_t* pc;
  const SideEntry* stp;
  Instance* inst = fn->instance;
  uint8_t* mem = inst->mem0;
  TrapKind trap = TrapKind::None;

  if (frame >= ctx.frames_limit || sp + fn->nlocals + fn->max_height > ctx.stack_limit)
    return ctx.trap = TrapKind::StackExhausted;
  frame->fn = fn;
  ctx.frame_top = frame;
  std::memset(static_cast<void*>(sp), 0, fn->nlocals * sizeof(Slot));
  sp += fn->nlocals;
  pc = fn->code;
  stp = fn->side_table;

#define NEXT() goto* dispatch[*pc++]
#define READ_U32(var)                 \
  do {                                \
    uint32_t b_ = *pc;                \
    if (b_ < 0x80) [[likely]] {       \
      var = b_;                       \
      ++pc;                           \
    } else {                          \
      var = read_u32_slow(pc);        \
    }                                 \
  } while (0)
#define SKIP_LEB() \
  do {             \
  } while (*pc++ & 0x80)
#define TRAP(kind)  \
  do {              \
    trap = (kind);  \
    goto do_trap;   \
  } while (0)
// Memory faults unwind through signals, so the pc a trap report needs must
// be in memory before the access.
#define FAULT_PC() (frame->pc = pc)

  NEXT();

// ---- taking a branch --------------------------------------------------------
// `op` is the branch's opcode byte; the entry at `e` says where to go and how
// to reshape the stack.
#define TAKE_BRANCH(op, e)                                      \
  do {                                                          \
    const SideEntry* e_ = (e);                                  \
    pc = (op) + e_->pc_delta;                                   \
    uint32_t drop_ = e_->drop;                                  \
    if (drop_) {                                                \
      uint32_t keep_ = e_->keep;                                \
      Slot* dst_ = sp - keep_ - drop_;                          \
      for (uint32_t i_ = 0; i_ < keep_; ++i_) dst_[i_] = sp[int64_t(i_) - keep_]; \
      sp -= drop_;                                              \
    }                                                           \
    stp = e_ + e_->stp_delta;                                   \
  } while (0)

L_fuel:
  if (ctx.fuel == 0) TRAP(TrapKind::OutOfFuel);
  --ctx.fuel;
  goto* main_table[pc[-1]];

L_illegal:
  // Validated code never gets here; a corrupt module or a missing handler.
  TRAP(TrapKind::Unreachable);

// ---- control ----------------------------------------------------------------
L_Unreachable:
  TRAP(TrapKind::Unreachable);
L_Nop:
  NEXT();
L_Block:
L_Loop:
  SKIP_LEB();  // block type
  NEXT();
L_If: {
  uint32_t c = (--sp)->u32;
  if (c) {
    SKIP_LEB();
    ++stp;
    NEXT();
  }
  TAKE_BRANCH(pc - 1, stp);
  NEXT();
}
L_Else:
  TAKE_BRANCH(pc - 1, stp);
  NEXT();
L_End:
  if (pc - 1 != fn->code_end) [[likely]] NEXT();
  goto do_return;
L_Br:
  TAKE_BRANCH(pc - 1, stp);
  NEXT();
L_BrIf: {
  uint32_t c = (--sp)->u32;
  if (c) {
    TAKE_BRANCH(pc - 1, stp);
    NEXT();
  }
  SKIP_LEB();
  ++stp;
  NEXT();
}
L_BrTable: {
  const uint8_t* op = pc - 1;
  uint32_t n;
  READ_U32(n);
  uint32_t i = (--sp)->u32;
  if (i > n) i = n;
  TAKE_BRANCH(op, stp + i);
  NEXT();
}
L_Return:
  goto do_return;
L_Call: {
  uint32_t idx;
  READ_U32(idx);
  FuncInst* callee = inst->funcs[idx];
  if (callee->host) goto do_call_host_with_callee;
  {
    // Inline fast path of do_call for the common wasm->wasm case.
    Slot* nfp = sp - callee->nparams;
    if (frame + 1 >= ctx.frames_limit ||
        sp + callee->nlocals + callee->max_height > ctx.stack_limit) [[unlikely]] {
      frame->pc = pc;
      trap = TrapKind::StackExhausted;
      goto do_trap_no_pc;
    }
    frame->pc = pc;
    frame->stp = stp;
    frame->fp = fp;
    ++frame;
    frame->fn = callee;
    ctx.frame_top = frame;
    fn = callee;
    fp = nfp;
    std::memset(static_cast<void*>(sp), 0, callee->nlocals * sizeof(Slot));
    sp += callee->nlocals;
    pc = callee->code;
    stp = callee->side_table;
    if (callee->instance != inst) {
      inst = callee->instance;
      mem = inst->mem0;
    }
    NEXT();
  }
do_call_host_with_callee:
  frame->pc = pc;
  {
    Slot* args = sp - callee->nparams;
    ctx.stack_top = sp;
    TrapKind k = call_host(ctx, callee, args, inst);
    if (k != TrapKind::None) {
      trap = k;
      goto do_trap_no_pc;
    }
    sp = args + callee->nresults;
  }
  NEXT();
}
L_CallIndirect: {
  uint32_t type_idx, table_idx;
  READ_U32(type_idx);
  READ_U32(table_idx);
  uint32_t i = (--sp)->u32;
  TableInst* t = inst->tables[table_idx];
  if (i >= t->elems.size()) {
    ctx.trap_index = i;
    TRAP(TrapKind::UndefinedElement);
  }
  FuncInst* callee = static_cast<FuncInst*>(t->elems[i]);
  if (!callee) {
    ctx.trap_index = i;
    TRAP(TrapKind::UninitializedElement);
  }
  if (callee->type_id != inst->type_ids[type_idx]) TRAP(TrapKind::IndirectCallTypeMismatch);
  if (callee->host) {
    frame->pc = pc;
    Slot* args = sp - callee->nparams;
    ctx.stack_top = sp;
    TrapKind k = call_host(ctx, callee, args, inst);
    if (k != TrapKind::None) {
      trap = k;
      goto do_trap_no_pc;
    }
    sp = args + callee->nresults;
    NEXT();
  }
  Slot* nfp = sp - callee->nparams;
  if (frame + 1 >= ctx.frames_limit ||
      sp + callee->nlocals + callee->max_height > ctx.stack_limit) [[unlikely]]
    TRAP(TrapKind::StackExhausted);
  frame->pc = pc;
  frame->stp = stp;
  frame->fp = fp;
  ++frame;
  frame->fn = callee;
  ctx.frame_top = frame;
  fn = callee;
  fp = nfp;
  std::memset(static_cast<void*>(sp), 0, callee->nlocals * sizeof(Slot));
  sp += callee->nlocals;
  pc = callee->code;
  stp = callee->side_table;
  if (callee->instance != inst) {
    inst = callee->instance;
    mem = inst->mem0;
  }
  NEXT();
}

do_return: {
  uint32_t n = fn->nresults;
  Slot* src = sp - n;
  for (uint32_t i = 0; i < n; ++i) fp[i] = src[i];
  sp = fp + n;
  if (frame == entry_frame) {
    ctx.frame_top = frame - 1;
    return TrapKind::None;
  }
  --frame;
  ctx.frame_top = frame;
  fn = frame->fn;
  pc = frame->pc;
  stp = frame->stp;
  fp = frame->fp;
  if (fn->instance != inst) {
    inst = fn->instance;
    mem = inst->mem0;
  }
  NEXT();
}

do_trap:
  frame->pc = pc;
do_trap_no_pc:
  ctx.frame_top = frame;
  ctx.trap = trap;
  return trap;

// ---- parametric ---------------------------------------------------------------
L_Drop:
  --sp;
  NEXT();
L_Select: {
  uint32_t c = (--sp)->u32;
  --sp;
  if (!c) sp[-1] = sp[0];
  NEXT();
}
L_SelectT: {
  SKIP_LEB();  // count (always 1)
  SKIP_LEB();  // the type
  uint32_t c = (--sp)->u32;
  --sp;
  if (!c) sp[-1] = sp[0];
  NEXT();
}

// ---- variables ----------------------------------------------------------------
L_LocalGet: {
  uint32_t idx;
  READ_U32(idx);
  *sp++ = fp[idx];
  NEXT();
}
L_LocalSet: {
  uint32_t idx;
  READ_U32(idx);
  fp[idx] = *--sp;
  NEXT();
}
L_LocalTee: {
  uint32_t idx;
  READ_U32(idx);
  fp[idx] = sp[-1];
  NEXT();
}
L_GlobalGet: {
  uint32_t idx;
  READ_U32(idx);
  *sp++ = inst->globals[idx]->value;
  NEXT();
}
L_GlobalSet: {
  uint32_t idx;
  READ_U32(idx);
  inst->globals[idx]->value = *--sp;
  NEXT();
}
L_TableGet: {
  uint32_t idx;
  READ_U32(idx);
  TableInst* t = inst->tables[idx];
  uint32_t i = sp[-1].u32;
  if (i >= t->elems.size()) TRAP(TrapKind::TableOutOfBounds);
  sp[-1].u64 = 0;
  sp[-1].ref = t->elems[i];
  NEXT();
}
L_TableSet: {
  uint32_t idx;
  READ_U32(idx);
  TableInst* t = inst->tables[idx];
  Ref v = sp[-1].ref;
  uint32_t i = sp[-2].u32;
  sp -= 2;
  if (i >= t->elems.size()) TRAP(TrapKind::TableOutOfBounds);
  t->elems[i] = v;
  NEXT();
}

// ---- memory -------------------------------------------------------------------
#define LOAD_OP(name, T, field, R)                       \
  L_##name: {                                            \
    SKIP_LEB();                                          \
    uint32_t off;                                        \
    READ_U32(off);                                       \
    FAULT_PC();                                          \
    uint64_t ea = uint64_t(sp[-1].u32) + off;            \
    sp[-1].field = R(load<T>(mem + ea));                 \
    NEXT();                                              \
  }
#define STORE_OP(name, T, field)                         \
  L_##name: {                                            \
    SKIP_LEB();                                          \
    uint32_t off;                                        \
    READ_U32(off);                                       \
    FAULT_PC();                                          \
    uint64_t ea = uint64_t(sp[-2].u32) + off;            \
    store<T>(mem + ea, T(sp[-1].field));                 \
    sp -= 2;                                             \
    NEXT();                                              \
  }
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
L_MemorySize:
  ++pc;  // memory index (a zero byte in 2.0)
  sp->u64 = 0;
  sp->u32 = uint32_t(inst->memories[0]->mem.pages());
  ++sp;
  NEXT();
L_MemoryGrow: {
  ++pc;
  int64_t r = inst->memories[0]->mem.grow(sp[-1].u32);
  sp[-1].u32 = uint32_t(int32_t(r));
  NEXT();
}

// ---- constants ----------------------------------------------------------------
L_I32Const: {
  uint32_t b = *pc;
  int32_t v;
  if (!(b & 0x80)) [[likely]] {
    v = int32_t(b << 25) >> 25;
    ++pc;
  } else {
    v = read_s32_slow(pc);
  }
  sp->u64 = 0;
  sp->i32 = v;
  ++sp;
  NEXT();
}
L_I64Const: {
  uint32_t b = *pc;
  int64_t v;
  if (!(b & 0x80)) [[likely]] {
    v = int64_t(int32_t(b << 25) >> 25);
    ++pc;
  } else {
    v = read_s64_slow(pc);
  }
  sp->i64 = v;
  ++sp;
  NEXT();
}
L_F32Const:
  sp->u64 = 0;
  std::memcpy(&sp->u32, pc, 4);
  pc += 4;
  ++sp;
  NEXT();
L_F64Const:
  std::memcpy(&sp->u64, pc, 8);
  pc += 8;
  ++sp;
  NEXT();

// ---- numeric ------------------------------------------------------------------
#define UNOP(name, field, expr)         \
  L_##name: {                           \
    auto a = sp[-1].field;              \
    (void)a;                            \
    sp[-1].field = (expr);              \
    NEXT();                             \
  }
#define UNOP2(name, in, out, expr)      \
  L_##name: {                           \
    auto a = sp[-1].in;                 \
    sp[-1].out = (expr);                \
    NEXT();                             \
  }
#define BINOP(name, field, expr)        \
  L_##name: {                           \
    auto b = sp[-1].field;              \
    auto a = sp[-2].field;              \
    --sp;                               \
    sp[-1].field = (expr);              \
    NEXT();                             \
  }
#define CMPOP(name, field, expr)        \
  L_##name: {                           \
    auto b = sp[-1].field;              \
    auto a = sp[-2].field;              \
    --sp;                               \
    sp[-1].u32 = (expr) ? 1 : 0;        \
    NEXT();                             \
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
L_I32DivS: {
  int32_t b = sp[-1].i32, a = sp[-2].i32;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  if (a == INT32_MIN && b == -1) TRAP(TrapKind::IntegerOverflow);
  --sp;
  sp[-1].i32 = a / b;
  NEXT();
}
L_I32DivU: {
  uint32_t b = sp[-1].u32, a = sp[-2].u32;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  --sp;
  sp[-1].u32 = a / b;
  NEXT();
}
L_I32RemS: {
  int32_t b = sp[-1].i32, a = sp[-2].i32;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  --sp;
  sp[-1].i32 = b == -1 ? 0 : a % b;
  NEXT();
}
L_I32RemU: {
  uint32_t b = sp[-1].u32, a = sp[-2].u32;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  --sp;
  sp[-1].u32 = a % b;
  NEXT();
}
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
L_I64DivS: {
  int64_t b = sp[-1].i64, a = sp[-2].i64;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  if (a == INT64_MIN && b == -1) TRAP(TrapKind::IntegerOverflow);
  --sp;
  sp[-1].i64 = a / b;
  NEXT();
}
L_I64DivU: {
  uint64_t b = sp[-1].u64, a = sp[-2].u64;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  --sp;
  sp[-1].u64 = a / b;
  NEXT();
}
L_I64RemS: {
  int64_t b = sp[-1].i64, a = sp[-2].i64;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  --sp;
  sp[-1].i64 = b == -1 ? 0 : a % b;
  NEXT();
}
L_I64RemU: {
  uint64_t b = sp[-1].u64, a = sp[-2].u64;
  if (b == 0) TRAP(TrapKind::IntegerDivideByZero);
  --sp;
  sp[-1].u64 = a % b;
  NEXT();
}
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

// ---- conversions --------------------------------------------------------------
#define TRUNC_OP(name, I, in, out)                                \
  L_##name: {                                                     \
    auto a = sp[-1].in;                                           \
    TrapKind k = num::trunc_check<I>(a);                          \
    if (k != TrapKind::None) TRAP(k);                             \
    sp[-1].out = I(a);                                            \
    NEXT();                                                       \
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
L_I32ReinterpretF32:
L_F32ReinterpretI32:
L_I64ReinterpretF64:
L_F64ReinterpretI64:
  NEXT();
  UNOP(I32Extend8S, i32, int32_t(int8_t(a)))
  UNOP(I32Extend16S, i32, int32_t(int16_t(a)))
  UNOP(I64Extend8S, i64, int64_t(int8_t(a)))
  UNOP(I64Extend16S, i64, int64_t(int16_t(a)))
  UNOP(I64Extend32S, i64, int64_t(int32_t(a)))

// ---- references ---------------------------------------------------------------
L_RefNull:
  ++pc;  // heap type
  sp->u64 = 0;
  sp->ref = nullptr;
  ++sp;
  NEXT();
L_RefIsNull:
  sp[-1].u32 = sp[-1].ref == nullptr ? 1 : 0;
  NEXT();
L_RefFunc: {
  uint32_t idx;
  READ_U32(idx);
  sp->u64 = 0;
  sp->ref = inst->funcs[idx];
  ++sp;
  NEXT();
}

// ---- 0xFC prefix --------------------------------------------------------------
L_prefix_fc: {
  uint32_t sub;
  READ_U32(sub);
  if (sub > 255) TRAP(TrapKind::Unreachable);
  goto* tables[kTableFc][sub];
}
  UNOP2(I32TruncSatF32S, f32, i32, num::trunc_sat<int32_t>(a))
  UNOP2(I32TruncSatF32U, f32, u32, num::trunc_sat<uint32_t>(a))
  UNOP2(I32TruncSatF64S, f64, i32, num::trunc_sat<int32_t>(a))
  UNOP2(I32TruncSatF64U, f64, u32, num::trunc_sat<uint32_t>(a))
  UNOP2(I64TruncSatF32S, f32, i64, num::trunc_sat<int64_t>(a))
  UNOP2(I64TruncSatF32U, f32, u64, num::trunc_sat<uint64_t>(a))
  UNOP2(I64TruncSatF64S, f64, i64, num::trunc_sat<int64_t>(a))
  UNOP2(I64TruncSatF64U, f64, u64, num::trunc_sat<uint64_t>(a))
L_MemoryInit: {
  uint32_t seg;
  READ_U32(seg);
  ++pc;
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  TrapKind k = memory_init(inst, seg, inst->memories[0], d, s, n);
  if (k != TrapKind::None) TRAP(k);
  NEXT();
}
L_DataDrop: {
  uint32_t seg;
  READ_U32(seg);
  inst->data_dropped[seg] = 1;
  NEXT();
}
L_MemoryCopy: {
  pc += 2;
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  TrapKind k = memory_copy(inst->memories[0], inst->memories[0], d, s, n);
  if (k != TrapKind::None) TRAP(k);
  NEXT();
}
L_MemoryFill: {
  ++pc;
  uint32_t n = sp[-1].u32, v = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  TrapKind k = memory_fill(inst->memories[0], d, v, n);
  if (k != TrapKind::None) TRAP(k);
  NEXT();
}
L_TableInit: {
  uint32_t seg, tidx;
  READ_U32(seg);
  READ_U32(tidx);
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  TrapKind k = table_init(inst, seg, inst->tables[tidx], d, s, n);
  if (k != TrapKind::None) TRAP(k);
  NEXT();
}
L_ElemDrop: {
  uint32_t seg;
  READ_U32(seg);
  inst->elems[seg].refs.clear();
  inst->elems[seg].refs.shrink_to_fit();
  NEXT();
}
L_TableCopy: {
  uint32_t dt, st;
  READ_U32(dt);
  READ_U32(st);
  uint32_t n = sp[-1].u32, s = sp[-2].u32, d = sp[-3].u32;
  sp -= 3;
  TrapKind k = table_copy(inst->tables[dt], inst->tables[st], d, s, n);
  if (k != TrapKind::None) TRAP(k);
  NEXT();
}
L_TableGrow: {
  uint32_t idx;
  READ_U32(idx);
  uint32_t n = sp[-1].u32;
  Ref init = sp[-2].ref;
  --sp;
  sp[-1].u64 = 0;
  sp[-1].u32 = uint32_t(int32_t(inst->tables[idx]->grow(n, init)));
  NEXT();
}
L_TableSize: {
  uint32_t idx;
  READ_U32(idx);
  sp->u64 = 0;
  sp->u32 = uint32_t(inst->tables[idx]->elems.size());
  ++sp;
  NEXT();
}
L_TableFill: {
  uint32_t idx;
  READ_U32(idx);
  uint32_t n = sp[-1].u32;
  Ref v = sp[-2].ref;
  uint32_t d = sp[-3].u32;
  sp -= 3;
  TrapKind k = table_fill(inst->tables[idx], d, v, n);
  if (k != TrapKind::None) TRAP(k);
  NEXT();
}

// ---- 0xFD prefix: SIMD, out of line (simd_*.cpp) ------------------------------
L_prefix_fd: {
#if WISP_SIMD
  uint32_t sub;
  READ_U32(sub);
  SimdHandler h = sub < 256 ? kSimdHandlers[sub] : nullptr;
  if (!h) TRAP(TrapKind::Unreachable);
  FAULT_PC();
  sp = h(sp, pc, mem);
  NEXT();
#else
  TRAP(TrapKind::Unreachable);
#endif
}
}

}  // namespace

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
