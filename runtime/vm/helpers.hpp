// The runtime helpers every tier calls: host calls, bulk memory and table
// operations, growth, and the call_indirect check. Each is a plain function
// of pointers and integers returning a TrapKind (or a size), and never
// throws, so the interpreter calls them directly and compiled code by
// address with the platform's C calling convention. The fuel a bulk
// operation costs is charged by the caller (limits.hpp), before the call.
#pragma once
#include <cstdint>

#include "runtime/vm/exec.hpp"
#include "runtime/vm/instances.hpp"

namespace wisp::rt {

// The one call path between tiers and from the host: runs f, whatever runs
// it (FuncKind), with its arguments (and room for its results) at args,
// and leaves the results there. caller is the calling instance (null from
// the host). Defined in call.cpp.
TrapKind invoke(ExecContext& ctx, FuncInst* f, Slot* args, Instance* caller) noexcept;

// Calls host function f with its arguments (and room for its results) at
// args. A failure's message and exit code go to ctx; an exception thrown by
// the host function becomes a HostError trap here.
TrapKind call_host(ExecContext& ctx, FuncInst* f, Slot* args, Instance* caller) noexcept;

// memory.fill / memory.copy / memory.init, data.drop: bounds checked before
// anything is written, as the spec requires.
TrapKind memory_fill(MemoryInst* m, uint32_t d, uint32_t val, uint32_t n) noexcept;
TrapKind memory_copy(MemoryInst* dst, MemoryInst* src, uint32_t d, uint32_t s, uint32_t n) noexcept;
TrapKind memory_init(Instance* inst, uint32_t seg, MemoryInst* m, uint32_t d, uint32_t s,
                     uint32_t n) noexcept;
void data_drop(Instance* inst, uint32_t seg) noexcept;
// memory.grow: the old size in pages or -1 (as the instruction returns it).
int32_t memory_grow(MemoryInst* m, uint32_t delta) noexcept;

// table.init / table.copy / table.fill, elem.drop, table.grow.
TrapKind table_init(Instance* inst, uint32_t seg, TableInst* t, uint32_t d, uint32_t s,
                    uint32_t n) noexcept;
TrapKind table_copy(TableInst* dst, TableInst* src, uint32_t d, uint32_t s, uint32_t n) noexcept;
TrapKind table_fill(TableInst* t, uint32_t d, Ref val, uint32_t n) noexcept;
void elem_drop(Instance* inst, uint32_t seg) noexcept;
int32_t table_grow(TableInst* t, Ref init, uint32_t n) noexcept;

// call_indirect's checks: the function at table[i] if there is one of
// canonical type type_id; otherwise null, with *trap set (and, for a bad
// index or a null element, ctx.trap_index = i for the message).
inline FuncInst* indirect_callee(ExecContext& ctx, const TableInst* table, uint32_t i,
                                 uint32_t type_id, TrapKind* trap) noexcept {
  if (i >= table->elems.size()) [[unlikely]] {
    ctx.trap_index = i;
    *trap = TrapKind::UndefinedElement;
    return nullptr;
  }
  auto* f = static_cast<FuncInst*>(table->elems[i]);
  if (!f) [[unlikely]] {
    ctx.trap_index = i;
    *trap = TrapKind::UninitializedElement;
    return nullptr;
  }
  if (f->type_id != type_id) [[unlikely]] {
    *trap = TrapKind::IndirectCallTypeMismatch;
    return nullptr;
  }
  return f;
}

}  // namespace wisp::rt
