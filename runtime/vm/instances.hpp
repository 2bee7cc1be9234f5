// Runtime objects: function, table, memory and global instances, module
// instances, and the Store that owns them all (as in the spec's store, and
// wasmtime's Store): everything lives until the Store dies, so references
// between instances are plain pointers.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/vm/slot.hpp"
#include "runtime/vm/limits.hpp"
#include "runtime/vm/memory.hpp"
#include "runtime/wasm/module.hpp"
#include "runtime/vm/tiers.hpp"
#include "runtime/vm/trap.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp {

struct Instance;
struct FuncInst;
class Store;

// A host function reads its arguments from args[0..nparams) and writes its
// results to args[0..nresults) (the same slots: the interpreter passes its
// value stack). Returning anything but TrapKind::None traps; for HostError
// or Exit, set ctx.message / ctx.exit_code.
struct HostContext {
  Store* store;
  Instance* caller;        // instance of the calling wasm function, may be null
  void* data;              // the host function's user data
  std::string message;     // for TrapKind::HostError
  int exit_code = 0;       // for TrapKind::Exit
  LinearMemory* memory() const;  // caller's memory 0, or null
};
using HostFn = TrapKind (*)(HostContext& ctx, Slot* args);

struct FuncInst {
  FuncKind kind = FuncKind::Interpreted;
  uint32_t type_id = 0;         // canonical type id (validator.hpp)
  uint32_t nparams = 0;
  uint32_t nresults = 0;
  // Wasm functions: the validated body, for any tier (its frame needs
  // nlocals and max_height slots after the parameters, exec.hpp).
  Instance* instance = nullptr;  // null for host functions
  uint32_t index = 0;            // function index in its module
  const uint8_t* code = nullptr;      // first instruction
  const uint8_t* code_end = nullptr;  // the final `end` byte
  uint32_t nlocals = 0;         // declared locals, excluding params
  uint32_t max_height = 0;      // operand stack need, in slots
  // Each tier's own data (tiers.hpp), written and read by that tier alone.
  InterpCode interp;
  JitCode jit;
  // Host functions:
  HostFn host = nullptr;
  void* host_data = nullptr;
  std::string_view debug_name;  // host functions: "module.name"

  bool is_host() const { return kind == FuncKind::Host; }
  const FuncType& type() const;
};

// Reference values: FuncInst* for funcref; for externref an opaque host
// pointer-sized value. Null is nullptr for both.
using Ref = void*;

struct TableInst {
  TableType type;
  std::vector<Ref> elems;
  // The owning store's usage: growth stops at its limits whatever the
  // declared maximum, so a guest cannot make the host allocate (and zero)
  // gigabytes of references. Failing to grow is always allowed.
  ResourceUsage* usage = nullptr;
  uint64_t max() const { return type.limits.has_max ? type.limits.max : kMaxTableSize; }
  // Returns the old size or -1.
  int64_t grow(uint32_t delta, Ref init);
};

struct MemoryInst {
  MemoryType type;
  LinearMemory mem;
  ResourceUsage* usage = nullptr;  // the owning store's, for its total
  // memory.grow: the old size in pages, or -1 (declared maximum, the
  // store's limits, or the OS refused).
  int64_t grow(uint64_t delta_pages);
};

struct GlobalInst {
  GlobalType type;
  Slot value{};
};

struct ElemInst {
  std::vector<Ref> refs;  // emptied by elem.drop
};

struct Extern {
  ExternKind kind = ExternKind::Func;
  void* ptr = nullptr;  // FuncInst*, TableInst*, MemoryInst*, GlobalInst*
  FuncInst* func() const { return kind == ExternKind::Func ? static_cast<FuncInst*>(ptr) : nullptr; }
  TableInst* table() const { return kind == ExternKind::Table ? static_cast<TableInst*>(ptr) : nullptr; }
  MemoryInst* memory() const { return kind == ExternKind::Memory ? static_cast<MemoryInst*>(ptr) : nullptr; }
  GlobalInst* global() const { return kind == ExternKind::Global ? static_cast<GlobalInst*>(ptr) : nullptr; }
};

struct Instance {
  std::shared_ptr<const Module> module;
  Store* store = nullptr;
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  // funcs.data() and globals.data() once instantiation has sized them: what
  // compiled code, shared by every instance of a module, loads them from.
  FuncInst* const* func_table = nullptr;
  GlobalInst* const* global_table = nullptr;
  std::vector<ElemInst> elems;
  std::vector<uint8_t> data_dropped;
  const uint32_t* type_ids = nullptr;  // module->canonical_types.data()
  uint8_t* mem0 = nullptr;             // base of memory 0, cached for the interpreter
  // Defined entities, owned here (imports point into other instances).
  std::vector<FuncInst> own_funcs;  // never resized once made: funcs points into it
  // Reserved to their exact sizes before the first element is added, so
  // pointers into them stay valid. (std::deque would do that too, but
  // allocates ~600 bytes even when empty, per container.)
  std::vector<TableInst> own_tables;
  std::vector<MemoryInst> own_memories;
  std::vector<GlobalInst> own_globals;

  // Export lookup (linear: export lists are short, and this is not a hot path).
  std::optional<Extern> export_(std::string_view name) const;
  FuncInst* func_export(std::string_view name) const {
    auto e = export_(name);
    return e ? e->func() : nullptr;
  }
};

}  // namespace wisp
