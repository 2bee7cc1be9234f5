// The Store (as in the spec's store, and wasmtime's Store): owns every
// instance it creates, the execution stacks and the fuel, under its limits
// (limits.hpp); calls into wasm go through Store::call (call.cpp). Values
// and traps as the API sees them live here too.
#pragma once
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "runtime/vm/exec.hpp"
#include "runtime/vm/instances.hpp"
#include "runtime/vm/limits.hpp"
#include "runtime/wasm/module.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp {

// A typed value at the API boundary.
struct Value {
  ValType type = ValType::I32;
  Slot bits{};

  static Value i32(uint32_t v) { Value x; x.type = ValType::I32; x.bits.u64 = 0; x.bits.u32 = v; return x; }
  static Value i64(uint64_t v) { Value x; x.type = ValType::I64; x.bits.u64 = v; return x; }
  static Value f32_bits(uint32_t v) { Value x; x.type = ValType::F32; x.bits.u64 = 0; x.bits.u32 = v; return x; }
  static Value f64_bits(uint64_t v) { Value x; x.type = ValType::F64; x.bits.u64 = v; return x; }
  static Value f32(float v) { Value x; x.type = ValType::F32; x.bits.u64 = 0; x.bits.f32 = v; return x; }
  static Value f64(double v) { Value x; x.type = ValType::F64; x.bits.f64 = v; return x; }
  static Value ref(ValType t, Ref r) { Value x; x.type = t; x.bits.ref = r; return x; }
  static Value v128(const uint8_t bytes[16]) { Value x; x.type = ValType::V128; std::memcpy(x.bits.v128, bytes, 16); return x; }
};

struct TrapFrame {
  const Instance* instance = nullptr;  // the function's (null for a host function)
  uint32_t func = 0;         // function index in its module
  std::string name;          // from the name section or exports; may be empty
  int64_t offset = -1;       // byte offset in the module binary, -1 if unknown
};

struct Trap {
  TrapKind kind = TrapKind::None;
  std::string message;
  int exit_code = 0;  // TrapKind::Exit
  // Innermost first. A deep stack keeps its kBacktraceKeep innermost and
  // kBacktraceKeep outermost frames; `omitted` more stood between them.
  std::vector<TrapFrame> backtrace;
  uint64_t omitted = 0;
  static constexpr size_t kBacktraceKeep = 100;
};

// Renders "message" plus one "  at NAME (offset 0x..)" line per frame.
// Names come from the module: control characters and invalid UTF-8 in
// them are escaped (printable()), so a name cannot drive a terminal.
std::string format_trap(const Trap& t);

using CallResult = std::variant<std::vector<Value>, Trap>;

struct StoreConfig {
  uint32_t max_call_depth = 20000;     // frames before "call stack exhausted"
  size_t value_stack_bytes = 64 << 20; // reserved, committed on touch
  StoreLimits limits;                  // memories, tables, counts (limits.hpp)
  // Instruction budget: each instruction costs one, bulk memory and table
  // operations one more per kBulkBytesPerFuel bytes or kBulkElemsPerFuel
  // elements. No value: unlimited; 0 traps before the first instruction.
  std::optional<uint64_t> fuel;
  // Which tier runs wasm (tiers.hpp).
  Tier tier = Tier::Interp;
  // Tier::Auto: interpreted instructions between tier-up samples.
  uint64_t tier_sample = kTierSample;
};

class Store {
 public:
  explicit Store(StoreConfig cfg = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const StoreConfig& config() const { return cfg_; }

  // Instantiates with imports given in the module's import order. Errors:
  // Link ("incompatible import type"), Trap (segment initialisation or the
  // start function trapped; the instance may still be partly initialised,
  // as the 2.0 spec says).
  Result<Instance*> instantiate(std::shared_ptr<const Module> m, std::span<const Extern> imports);

  // Returns every instance to the state its instantiation left it in, as
  // if made again from the same imports (wisp serve reuses a request's
  // instances for the next request this way, as wasmtime's pooling
  // allocator reuses instance slots): in creation order, each instance's
  // own memories back to their initial size and contents (a memory image
  // mapped again, madvise: LinearMemory::reset), own tables to their
  // initial size, globals, element and data segments initialised again,
  // the start function run again; the fuel refilled from the config.
  // Functions stay as they are (compiled ones compiled). Not while a call
  // runs, and not for a store with host-made tables, memories or mutable
  // globals (they are the host's to reset); an error leaves the store fit
  // only for destruction.
  Status reset();

  FuncInst* host_func(const FuncType& type, HostFn fn, void* data = nullptr, std::string name = {});
  // The same, with type's canonical id (canonical_type_id) already known.
  FuncInst* host_func(const FuncType& type, uint32_t type_id, HostFn fn, void* data, std::string name);
  GlobalInst* global(GlobalType type, Value init);
  // Host-made tables and memories count against the limits too.
  Result<TableInst*> table(TableType type, Ref init = nullptr);
  Result<MemoryInst*> memory(MemoryType type);

  CallResult call(FuncInst* f, std::span<const Value> args);
  CallResult call(FuncInst* f, std::initializer_list<Value> args) {
    return call(f, std::span<const Value>(args.begin(), args.size()));
  }
  // Fuel left (only meaningful once fuel is enabled).
  uint64_t fuel_left() const { return exec_.fuel_total(); }
  // Enables fuel with this much in the tank (0: the next instruction traps).
  void set_fuel(uint64_t fuel);
  void disable_fuel();
  // From another thread, while this store runs with fuel: empties the tank,
  // so the running call traps at its next fuel check (every function entry
  // and loop back-edge in both tiers) with TrapKind::Interrupted rather
  // than OutOfFuel. A caller that races with the running code's own
  // decrements repeats it until the call ends (wisp serve's and wisp run's
  // deadlines do, every millisecond). set_fuel and reset clear it. A
  // stand-in for epoch interruption (issue 18), on the fuel check points.
  void interrupt() {
    __atomic_store_n(&interrupted_, true, __ATOMIC_RELAXED);
    __atomic_store_n(&exec_.fuel_reserve, uint64_t(0), __ATOMIC_RELAXED);
    __atomic_store_n(&exec_.fuel, uint64_t(0), __ATOMIC_RELAXED);
  }
  // What the store holds, against config().limits.
  const ResourceUsage& usage() const { return usage_; }

  ExecContext& exec() { return exec_; }

  // What the tiers did so far (`wisp run --stats`).
  struct TierStats {
    uint64_t compiled = 0;     // functions running as compiled code now
    uint64_t interpreted = 0;  // wasm functions the interpreter runs
    uint64_t tier_ups = 0;     // compiled by Tier::Auto's samples
    uint64_t osr_entries = 0;  // running calls moved into compiled code
  };
  TierStats tier_stats() const;

 private:
  friend struct Instantiator;
  Status init_table(TableInst& t, const TableType& type, Ref init);
  Status init_memory(MemoryInst& m, const MemoryType& type);
  // Compiled code counts fuel or does not (two variants): a change of mode
  // sends compiled functions back to be compiled again in the new one.
  void fuel_mode_changed();
  StoreConfig cfg_;
  ExecContext exec_;
  bool interrupted_ = false;  // interrupt() emptied the tank (atomic accesses)
  ResourceUsage usage_;
  // Owned one allocation each (pointers must stay valid); empty vectors cost
  // nothing, which keeps creating a Store cheap (cold start).
  template <class T>
  using Owned = std::vector<std::unique_ptr<T>>;
  template <class T, class... A>
  static T& add(Owned<T>& v, A&&... a) {
    return *v.emplace_back(std::make_unique<T>(std::forward<A>(a)...));
  }
  Owned<Instance> instances_;
  Owned<FuncInst> host_funcs_;
  Owned<std::string> names_;
  Owned<GlobalInst> globals_;
  Owned<TableInst> tables_;
  Owned<MemoryInst> memories_;
};

}  // namespace wisp
