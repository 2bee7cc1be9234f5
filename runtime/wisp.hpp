// wisp's C++ embedding API.
//
//   auto mod = wisp::load_module(bytes);            // decode + validate
//   wisp::Store store;
//   wisp::Linker linker;                             // imports by name
//   auto inst = linker.instantiate(store, *mod);
//   auto res = store.call(inst.value()->func_export("f"), {wisp::Value::i32(1)});
#pragma once
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "runtime/interp/exec.hpp"
#include "runtime/module.hpp"
#include "runtime/result.hpp"
#include "runtime/store.hpp"

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
#if WISP_SIMD
  static Value v128(const uint8_t bytes[16]) { Value x; x.type = ValType::V128; std::memcpy(x.bits.v128, bytes, 16); return x; }
#endif
};

struct TrapFrame {
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

// Decodes and validates; errors carry kind (Malformed/Invalid) and offset.
Result<std::shared_ptr<Module>> load_module(std::vector<uint8_t> bytes);

struct StoreConfig {
  uint32_t max_call_depth = 20000;     // frames before "call stack exhausted"
  size_t value_stack_bytes = 64 << 20; // reserved, committed on touch
  StoreLimits limits;                  // memories, tables, counts (limits.hpp)
  // Instruction budget: each instruction costs one, bulk memory and table
  // operations one more per kBulkBytesPerFuel bytes or kBulkElemsPerFuel
  // elements. No value: unlimited; 0 traps before the first instruction.
  std::optional<uint64_t> fuel;
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

  FuncInst* host_func(const FuncType& type, HostFn fn, void* data = nullptr, std::string name = {});
  GlobalInst* global(GlobalType type, Value init);
  // Host-made tables and memories count against the limits too.
  Result<TableInst*> table(TableType type, Ref init = nullptr);
  Result<MemoryInst*> memory(MemoryType type);

  CallResult call(FuncInst* f, std::span<const Value> args);
  CallResult call(FuncInst* f, std::initializer_list<Value> args) {
    return call(f, std::span<const Value>(args.begin(), args.size()));
  }
  // Fuel left (only meaningful once fuel is enabled).
  uint64_t fuel_left() const { return exec_.fuel; }
  // Enables fuel with this much in the tank (0: the next instruction traps).
  void set_fuel(uint64_t fuel) { exec_.fuel = fuel; exec_.fuel_enabled = true; }
  void disable_fuel() { exec_.fuel_enabled = false; }
  // What the store holds, against config().limits.
  const ResourceUsage& usage() const { return usage_; }

  ExecContext& exec() { return exec_; }

 private:
  friend struct Instantiator;
  CallResult call_impl(FuncInst* f, std::span<const Value> args);
  Status init_table(TableInst& t, const TableType& type, Ref init);
  Status init_memory(MemoryInst& m, const MemoryType& type);
  StoreConfig cfg_;
  ExecContext exec_;
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

// Resolves imports by (module, name).
class Linker {
 public:
  void define(std::string module, std::string name, Extern e);
  // Resolves imports of `module` on demand: called for a name not defined
  // otherwise, the first time a module imports it; nullopt means unknown.
  // Large host APIs (WASI has ~90 functions) then cost only what a module
  // imports, which matters for process start-up.
  using Resolver = std::function<std::optional<Extern>(std::string_view name)>;
  void define_lazy(std::string module, Resolver resolve);
  // Makes every export of inst importable under `module` (WAST `register`).
  void define_instance(const std::string& module, const Instance* inst);
  std::optional<Extern> find(std::string_view module, std::string_view name) const;
  // As find, consulting (and memoizing) the lazy resolvers.
  std::optional<Extern> resolve(std::string_view module, std::string_view name);
  // Errors: Link "unknown import" / "incompatible import type", then as
  // Store::instantiate.
  Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> m);

 private:
  std::map<std::pair<std::string, std::string>, Extern, std::less<>> defs_;
  std::map<std::string, Resolver, std::less<>> lazy_;
};

// Import type matching (2.0 subtyping on limits); returns an error message
// or empty.
std::string check_import(const Module& m, const Import& im, const Extern& e);

// Spec-conformant bit-exact comparison helpers live with the spec runner.

}  // namespace wisp
