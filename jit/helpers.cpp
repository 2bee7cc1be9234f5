// Out-of-line helpers of compiled code (helpers.hpp).
#include "jit/helpers.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "runtime/vm/helpers.hpp"
#include "runtime/vm/numeric.hpp"
#include "runtime/wasm/opcodes.hpp"

namespace wisp::jit {

TrapKind jit_call_out(Slot* args, ExecContext* ctx, FuncInst* callee, Instance* caller) noexcept {
  // A host function that calls back into wasm starts above the live slots.
  ctx->stack_top = args + std::max(callee->nparams, callee->nresults);
  return rt::invoke(*ctx, callee, args, caller);
}

FuncInst* jit_indirect_callee(ExecContext* ctx, Instance* inst, uint32_t table,
                              uint32_t type_index, uint32_t i) noexcept {
  TrapKind k = TrapKind::None;
  FuncInst* f = rt::indirect_callee(*ctx, inst->tables[table], i, inst->type_ids[type_index], &k);
  if (!f) ctx->trap = k;
  return f;
}

namespace {

// The float in the low bits of a slot's word.
template <class F>
F float_of(uint64_t bits) {
  F x;
  if constexpr (sizeof(F) == 4) {
    uint32_t b = uint32_t(bits);
    std::memcpy(&x, &b, 4);
  } else {
    std::memcpy(&x, &bits, 8);
  }
  return x;
}

template <class I, class F>
ValueOrTrap trapping(uint64_t bits) {
  const F x = float_of<F>(bits);
  TrapKind k = num::trunc_check<I, F>(x);
  if (k != TrapKind::None) return {0, uint64_t(k)};
  using U = std::make_unsigned_t<I>;
  return {uint64_t(U(I(x))), 0};
}

template <class I, class F>
ValueOrTrap saturating(uint64_t bits) {
  const F x = float_of<F>(bits);
  using U = std::make_unsigned_t<I>;
  return {uint64_t(U(num::trunc_sat<I, F>(x))), 0};
}

}  // namespace

ValueOrTrap jit_truncate(uint32_t op, uint64_t bits) noexcept {
  switch (Op(op)) {
    case Op::I32TruncF32S: return trapping<int32_t, float>(bits);
    case Op::I32TruncF32U: return trapping<uint32_t, float>(bits);
    case Op::I32TruncF64S: return trapping<int32_t, double>(bits);
    case Op::I32TruncF64U: return trapping<uint32_t, double>(bits);
    case Op::I64TruncF32S: return trapping<int64_t, float>(bits);
    case Op::I64TruncF32U: return trapping<uint64_t, float>(bits);
    case Op::I64TruncF64S: return trapping<int64_t, double>(bits);
    case Op::I64TruncF64U: return trapping<uint64_t, double>(bits);
    case Op::I32TruncSatF32S: return saturating<int32_t, float>(bits);
    case Op::I32TruncSatF32U: return saturating<uint32_t, float>(bits);
    case Op::I32TruncSatF64S: return saturating<int32_t, double>(bits);
    case Op::I32TruncSatF64U: return saturating<uint32_t, double>(bits);
    case Op::I64TruncSatF32S: return saturating<int64_t, float>(bits);
    case Op::I64TruncSatF32U: return saturating<uint64_t, float>(bits);
    case Op::I64TruncSatF64S: return saturating<int64_t, double>(bits);
    case Op::I64TruncSatF64U: return saturating<uint64_t, double>(bits);
    default: return {0, uint64_t(TrapKind::Unreachable)};
  }
}

uint64_t jit_take_fuel(ExecContext* ctx, uint64_t n) noexcept {
  return uint64_t(ctx->take_fuel(n) ? TrapKind::None : TrapKind::OutOfFuel);
}

uint64_t jit_memory_size(Instance* inst) noexcept {
  return uint32_t(inst->memories[0]->mem.pages());
}

uint64_t jit_memory_grow(Instance* inst, uint32_t delta) noexcept {
  return uint32_t(rt::memory_grow(inst->memories[0], delta));
}

ValueOrTrap jit_memory_fill(Instance* inst, uint32_t d, uint32_t val, uint32_t n) noexcept {
  return {0, uint64_t(rt::memory_fill(inst->memories[0], d, val, n))};
}

ValueOrTrap jit_memory_copy(Instance* inst, uint32_t d, uint32_t s, uint32_t n) noexcept {
  return {0, uint64_t(rt::memory_copy(inst->memories[0], inst->memories[0], d, s, n))};
}

ValueOrTrap jit_table_get(Instance* inst, uint32_t table, uint32_t i) noexcept {
  TableInst* t = inst->tables[table];
  if (i >= t->elems.size()) return {0, uint64_t(TrapKind::TableOutOfBounds)};
  return {uint64_t(uintptr_t(t->elems[i])), 0};
}

ValueOrTrap jit_table_set(Instance* inst, uint32_t table, uint32_t i, uint64_t ref) noexcept {
  TableInst* t = inst->tables[table];
  if (i >= t->elems.size()) return {0, uint64_t(TrapKind::TableOutOfBounds)};
  t->elems[i] = reinterpret_cast<Ref>(uintptr_t(ref));
  return {0, 0};
}

uint64_t jit_table_size(Instance* inst, uint32_t table) noexcept {
  return uint32_t(inst->tables[table]->elems.size());
}

uint64_t jit_table_grow(Instance* inst, uint32_t table, uint64_t init, uint32_t n) noexcept {
  return uint32_t(rt::table_grow(inst->tables[table], reinterpret_cast<Ref>(uintptr_t(init)), n));
}

ValueOrTrap jit_table_fill(Instance* inst, uint32_t table, uint32_t d, uint64_t ref,
                           uint32_t n) noexcept {
  return {0, uint64_t(rt::table_fill(inst->tables[table], d, reinterpret_cast<Ref>(uintptr_t(ref)), n))};
}

ValueOrTrap jit_table_copy(Instance* inst, uint32_t dst, uint32_t src, uint32_t d, uint32_t s,
                           uint32_t n) noexcept {
  return {0, uint64_t(rt::table_copy(inst->tables[dst], inst->tables[src], d, s, n))};
}

ValueOrTrap jit_table_init(Instance* inst, uint32_t seg, uint32_t table, uint32_t d, uint32_t s,
                           uint32_t n) noexcept {
  return {0, uint64_t(rt::table_init(inst, seg, inst->tables[table], d, s, n))};
}

uint64_t jit_elem_drop(Instance* inst, uint32_t seg) noexcept {
  rt::elem_drop(inst, seg);
  return 0;
}

ValueOrTrap jit_memory_init(Instance* inst, uint32_t seg, uint32_t d, uint32_t s,
                            uint32_t n) noexcept {
  return {0, uint64_t(rt::memory_init(inst, seg, inst->memories[0], d, s, n))};
}

uint64_t jit_data_drop(Instance* inst, uint32_t seg) noexcept {
  rt::data_drop(inst, seg);
  return 0;
}

}  // namespace wisp::jit
