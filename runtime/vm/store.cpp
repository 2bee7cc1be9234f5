// The Store: instances of functions, tables, memories and globals, the
// execution stacks, and what the store's limits allow (limits.hpp).
#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "runtime/valid/validator.hpp"
#include "runtime/vm/store.hpp"

namespace wisp {

// ---- small pieces -------------------------------------------------------------

const FuncType& FuncInst::type() const { return canonical_type(type_id); }

LinearMemory* HostContext::memory() const {
  if (!caller || caller->memories.empty()) return nullptr;
  return &caller->memories[0]->mem;
}

int64_t TableInst::grow(uint32_t delta, Ref init) {
  uint64_t old = elems.size();
  if (old + delta > max()) return -1;
  if (usage && !usage->take_table_elements(old, delta)) return -1;
  // A table cannot outgrow what the host can allocate; treat that as -1.
  try {
    elems.resize(old + delta, init);
  } catch (const std::bad_alloc&) {
    if (usage) usage->give_back_table_elements(delta);
    return -1;
  }
  return int64_t(old);
}

int64_t MemoryInst::grow(uint64_t delta_pages) {
  if (delta_pages > UINT64_MAX / kPageSize) return -1;
  uint64_t bytes = delta_pages * kPageSize;
  if (usage && !usage->take_memory_bytes(bytes)) return -1;
  int64_t old = mem.grow(delta_pages);
  if (old < 0 && usage) usage->give_back_memory_bytes(bytes);
  return old;
}

std::optional<Extern> Instance::export_(std::string_view name) const {
  for (const Export& e : module->exports) {
    if (e.name != name) continue;
    switch (e.kind) {
      case ExternKind::Func: return Extern{e.kind, funcs[e.index]};
      case ExternKind::Table: return Extern{e.kind, tables[e.index]};
      case ExternKind::Memory: return Extern{e.kind, memories[e.index]};
      case ExternKind::Global: return Extern{e.kind, globals[e.index]};
      case ExternKind::Tag: return std::nullopt;  // not decoded yet (types.hpp)
    }
  }
  return std::nullopt;
}


// ---- execution stacks -----------------------------------------------------------

namespace {

// One mapping holds the value stack and the frame array. Stores come and go
// (a cold start creates one), so the last mapping is kept per thread and
// reused instead of paying mmap/munmap each time.
struct StackMapping {
  void* base = nullptr;
  size_t size = 0;
};
thread_local StackMapping t_cached_stack;

StackMapping acquire_stack(size_t size) {
  if (t_cached_stack.base && t_cached_stack.size == size) {
    StackMapping m = t_cached_stack;
    t_cached_stack = {};
    return m;
  }
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return {};
  return {p, size};
}

void release_stack(StackMapping m) {
  if (!m.base) return;
  if (!t_cached_stack.base) {
    t_cached_stack = m;
    return;
  }
  munmap(m.base, m.size);
}

}  // namespace

Store::Store(StoreConfig cfg) : cfg_(std::move(cfg)) {
  size_t frames_bytes = (size_t(cfg_.max_call_depth) + 1) * sizeof(Frame);
  frames_bytes = (frames_bytes + 4095) & ~size_t(4095);
  size_t stack_bytes = (cfg_.value_stack_bytes + 4095) & ~size_t(4095);
  StackMapping m = acquire_stack(frames_bytes + stack_bytes);
  if (m.base) {
    auto* base = static_cast<uint8_t*>(m.base);
    exec_.frames_base = reinterpret_cast<Frame*>(base);
    exec_.frames_limit = exec_.frames_base + cfg_.max_call_depth;
    exec_.stack_base = reinterpret_cast<Slot*>(base + frames_bytes);
    exec_.stack_limit = exec_.stack_base + stack_bytes / sizeof(Slot);
  }
  exec_.stack_top = exec_.stack_base;
  exec_.frame_top = exec_.frames_base - 1;
  if (cfg_.tier == Tier::Auto) {
    exec_.tiering = true;
    exec_.fuel_enabled = true;
    exec_.tier_sample = std::max<uint64_t>(cfg_.tier_sample, 1);
    exec_.fuel = exec_.tier_sample;
  }
  if (cfg_.fuel) set_fuel(*cfg_.fuel);
  usage_.limits = &cfg_.limits;
}

Store::~Store() {
  if (exec_.frames_base) {
    size_t frames_bytes = ((size_t(cfg_.max_call_depth) + 1) * sizeof(Frame) + 4095) & ~size_t(4095);
    size_t stack_bytes = (cfg_.value_stack_bytes + 4095) & ~size_t(4095);
    release_stack({exec_.frames_base, frames_bytes + stack_bytes});
  }
}

FuncInst* Store::host_func(const FuncType& type, HostFn fn, void* data, std::string name) {
  return host_func(type, canonical_type_id(type), fn, data, std::move(name));
}

FuncInst* Store::host_func(const FuncType& type, uint32_t type_id, HostFn fn, void* data, std::string name) {
  FuncInst& f = add(host_funcs_);
  f.type_id = type_id;
  f.nparams = uint32_t(type.params.size());
  f.nresults = uint32_t(type.results.size());
  f.kind = FuncKind::Host;
  f.host = fn;
  f.host_data = data;
  f.debug_name = add(names_, std::move(name));
  return &f;
}

GlobalInst* Store::global(GlobalType type, Value init) {
  GlobalInst& g = add(globals_);
  g.type = type;
  g.value = init.bits;
  return &g;
}

// ---- resources under the store's limits ----------------------------------------------

Status Store::init_table(TableInst& t, const TableType& type, Ref init) {
  t.type = type;
  t.usage = &usage_;
  if (usage_.tables >= usage_.limits->max_tables) return limit_error("table count");
  if (!usage_.take_table_elements(0, type.limits.min)) {
    return make_error(ErrorKind::Limit, "table minimum of " + std::to_string(type.limits.min) +
                                            " elements exceeds the table elements limit");
  }
  ++usage_.tables;
  try {
    t.elems.assign(size_t(type.limits.min), init);
  } catch (const std::bad_alloc&) {
    usage_.give_back_table_elements(type.limits.min);
    return out_of_memory();
  }
  return ok_status();
}

Status Store::init_memory(MemoryInst& m, const MemoryType& type) {
  if (usage_.memories >= usage_.limits->max_memories) return limit_error("memory count");
  auto lm = LinearMemory::create(type.limits, usage_.limits->max_memory_bytes);
  if (!lm.ok()) return lm.take_error();
  if (!usage_.take_memory_bytes(lm.value().size()))
    return make_error(ErrorKind::Limit, "memory size exceeds the store's total memory limit");
  ++usage_.memories;
  m.type = type;
  m.usage = &usage_;
  m.mem = std::move(lm.value());
  return ok_status();
}

// Host-made tables and memories join the store only once they exist: a
// refused one leaves nothing behind.
Result<TableInst*> Store::table(TableType type, Ref init) {
  auto t = std::make_unique<TableInst>();
  Status s = init_table(*t, type, init);
  if (!s.ok()) return s.take_error();
  return tables_.emplace_back(std::move(t)).get();
}

Result<MemoryInst*> Store::memory(MemoryType type) {
  auto m = std::make_unique<MemoryInst>();
  Status s = init_memory(*m, type);
  if (!s.ok()) return s.take_error();
  return memories_.emplace_back(std::move(m)).get();
}

void Store::set_fuel(uint64_t fuel) {
  __atomic_store_n(&interrupted_, false, __ATOMIC_RELAXED);
  const bool was = exec_.user_fuel;
  exec_.user_fuel = true;
  exec_.fuel_enabled = true;
  exec_.fuel = fuel;
  exec_.fuel_reserve = 0;
  if (exec_.tiering) exec_.refill_fuel(exec_.tier_sample);
  if (!was) fuel_mode_changed();
}

void Store::disable_fuel() {
  if (!exec_.user_fuel) return;
  exec_.user_fuel = false;
  exec_.fuel_reserve = 0;
  if (exec_.tiering) exec_.fuel = exec_.tier_sample;
  else exec_.fuel_enabled = false;
  fuel_mode_changed();
}

void Store::fuel_mode_changed() {
  for (auto& inst : instances_) {
    const uint32_t n = uint32_t(inst->module->funcs.size() - inst->module->num_imported_funcs);
    for (uint32_t i = 0; i < n; ++i)
      if (inst->own_funcs[i].kind == FuncKind::Compiled) inst->own_funcs[i].kind = FuncKind::Uncompiled;
  }
}

Store::TierStats Store::tier_stats() const {
  TierStats s;
  s.tier_ups = exec_.tier_ups;
  s.osr_entries = exec_.osr_entries;
  for (const auto& inst : instances_) {
    const uint32_t n = uint32_t(inst->module->funcs.size() - inst->module->num_imported_funcs);
    for (uint32_t i = 0; i < n; ++i) {
      if (inst->own_funcs[i].kind == FuncKind::Compiled) ++s.compiled;
      else ++s.interpreted;
    }
  }
  return s;
}

}  // namespace wisp
