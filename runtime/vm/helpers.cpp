// The runtime helpers every tier calls (helpers.hpp).
#include "runtime/vm/helpers.hpp"

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "runtime/vm/signals.hpp"

namespace wisp::rt {

// Out of line in every tier: HostContext owns a std::string, and a memory
// fault in wasm unwinds with siglongjmp (signals.hpp), which must not skip
// its destructor.
TrapKind call_host(ExecContext& ctx, FuncInst* f, Slot* args, Instance* caller) noexcept {
  HostContext hc;
  hc.store = caller ? caller->store : nullptr;
  hc.caller = caller;
  hc.data = f->host_data;
  TrapKind k;
  {
    HostCallScope scope;
    // An exception must not cross a tier's frames or the guard frame of
    // run_guarded: a host function that throws fails the call.
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
TrapKind memory_fill(MemoryInst* m, uint32_t d, uint32_t val, uint32_t n) noexcept {
  if (uint64_t(d) + n > m->mem.size()) return TrapKind::MemoryOutOfBounds;
  std::memset(m->mem.base() + d, int(val & 0xFF), n);
  return TrapKind::None;
}

TrapKind memory_copy(MemoryInst* dm, MemoryInst* sm, uint32_t d, uint32_t s, uint32_t n) noexcept {
  if (uint64_t(d) + n > dm->mem.size() || uint64_t(s) + n > sm->mem.size())
    return TrapKind::MemoryOutOfBounds;
  std::memmove(dm->mem.base() + d, sm->mem.base() + s, n);
  return TrapKind::None;
}

TrapKind memory_init(Instance* inst, uint32_t seg, MemoryInst* m, uint32_t d, uint32_t s,
                     uint32_t n) noexcept {
  const DataSegment& ds = inst->module->datas[seg];
  uint64_t size = inst->data_dropped[seg] ? 0 : ds.data_size;
  if (uint64_t(s) + n > size || uint64_t(d) + n > m->mem.size()) return TrapKind::MemoryOutOfBounds;
  std::memcpy(m->mem.base() + d, inst->module->bytes + ds.data_offset + s, n);
  return TrapKind::None;
}

void data_drop(Instance* inst, uint32_t seg) noexcept { inst->data_dropped[seg] = 1; }

int32_t memory_grow(MemoryInst* m, uint32_t delta) noexcept { return int32_t(m->grow(delta)); }

TrapKind table_init(Instance* inst, uint32_t seg, TableInst* t, uint32_t d, uint32_t s,
                    uint32_t n) noexcept {
  const std::vector<Ref>& refs = inst->elems[seg].refs;
  if (uint64_t(s) + n > refs.size() || uint64_t(d) + n > t->elems.size())
    return TrapKind::TableOutOfBounds;
  if (n) std::memcpy(t->elems.data() + d, refs.data() + s, n * sizeof(Ref));
  return TrapKind::None;
}

TrapKind table_copy(TableInst* dt, TableInst* st, uint32_t d, uint32_t s, uint32_t n) noexcept {
  if (uint64_t(s) + n > st->elems.size() || uint64_t(d) + n > dt->elems.size())
    return TrapKind::TableOutOfBounds;
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(Ref));
  return TrapKind::None;
}

TrapKind table_fill(TableInst* t, uint32_t d, Ref val, uint32_t n) noexcept {
  if (uint64_t(d) + n > t->elems.size()) return TrapKind::TableOutOfBounds;
  for (uint32_t i = 0; i < n; ++i) t->elems[d + i] = val;
  return TrapKind::None;
}

void elem_drop(Instance* inst, uint32_t seg) noexcept {
  std::vector<Ref>().swap(inst->elems[seg].refs);
}

int32_t table_grow(TableInst* t, Ref init, uint32_t n) noexcept {
  return int32_t(t->grow(n, init));  // TableInst::grow catches bad_alloc
}

}  // namespace wisp::rt
