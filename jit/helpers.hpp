// What compiled code calls out of line: plain functions of the C calling
// convention, no exceptions (they run between compiled frames). The rest
// of the runtime's helpers (vm/helpers.hpp) are reached through these.
#pragma once
#include <cstdint>

#include "runtime/vm/exec.hpp"
#include "runtime/vm/instances.hpp"

namespace wisp::jit {

// A call whose callee is not compiled code (host, interpreted, not
// compiled yet): through the one call path, rt::invoke.
TrapKind jit_call_out(Slot* args, ExecContext* ctx, FuncInst* callee, Instance* caller) noexcept;

// call_indirect's checks: the callee, or null with ctx->trap (and
// ctx->trap_index) set.
FuncInst* jit_indirect_callee(ExecContext* ctx, Instance* inst, uint32_t table,
                              uint32_t type_index, uint32_t i) noexcept;

// Two words in rax:rdx: a value and a TrapKind (None when there is a value).
struct ValueOrTrap {
  uint64_t value;
  uint64_t trap;
};

// The float-to-integer truncations, trapping and saturating (op is the
// Op's number), of the float's bits.
ValueOrTrap jit_truncate(uint32_t op, uint64_t bits) noexcept;

// Fuel a straight-line run or bulk operation costs, when the counter alone
// holds less (ExecContext::take_fuel): None, or OutOfFuel.
uint64_t jit_take_fuel(ExecContext* ctx, uint64_t n) noexcept;

uint64_t jit_memory_size(Instance* inst) noexcept;
uint64_t jit_memory_grow(Instance* inst, uint32_t delta) noexcept;  // old pages or -1, as i32
ValueOrTrap jit_memory_fill(Instance* inst, uint32_t d, uint32_t val, uint32_t n) noexcept;
ValueOrTrap jit_memory_copy(Instance* inst, uint32_t d, uint32_t s, uint32_t n) noexcept;

// Tables, element and data segments (the interpreter's semantics, through
// vm/helpers.hpp). References travel as 64-bit words.
ValueOrTrap jit_table_get(Instance* inst, uint32_t table, uint32_t i) noexcept;
ValueOrTrap jit_table_set(Instance* inst, uint32_t table, uint32_t i, uint64_t ref) noexcept;
uint64_t jit_table_size(Instance* inst, uint32_t table) noexcept;
uint64_t jit_table_grow(Instance* inst, uint32_t table, uint64_t init, uint32_t n) noexcept;
ValueOrTrap jit_table_fill(Instance* inst, uint32_t table, uint32_t d, uint64_t ref,
                           uint32_t n) noexcept;
ValueOrTrap jit_table_copy(Instance* inst, uint32_t dst, uint32_t src, uint32_t d, uint32_t s,
                           uint32_t n) noexcept;
ValueOrTrap jit_table_init(Instance* inst, uint32_t seg, uint32_t table, uint32_t d, uint32_t s,
                           uint32_t n) noexcept;
uint64_t jit_elem_drop(Instance* inst, uint32_t seg) noexcept;
ValueOrTrap jit_memory_init(Instance* inst, uint32_t seg, uint32_t d, uint32_t s,
                            uint32_t n) noexcept;
uint64_t jit_data_drop(Instance* inst, uint32_t seg) noexcept;

}  // namespace wisp::jit
