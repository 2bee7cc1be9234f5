// An instantiated component, as far as issue 14 has come: its core modules
// instantiated and wired as its core instances say (`with` arguments,
// inline exports, core export aliases), its `canon lift`ed functions, and
// calls of its exported functions with component values, lowered into and
// lifted out of the core functions by the canonical ABI (abi.cpp).
//
// Not yet: imports (so no `canon lower`, no WASI 0.2), resources, nested
// component instances, start. A component that needs one of them fails to
// instantiate with a Link error that names it.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/component/abi_layout.hpp"
#include "runtime/component/component.hpp"
#include "runtime/component/value.hpp"
#include "runtime/vm/store.hpp"

namespace wisp::component {

// A `canon lift`: the core function, the component function type, and the
// options the ABI needs (memory, realloc, post-return).
struct LiftedFunc {
  std::string name;  // its export name, for messages
  FuncInst* core = nullptr;
  const Type* type = nullptr;
  const abi::Types* types = nullptr;  // the component's types
  CanonOptions opts;
  MemoryInst* memory = nullptr;
  FuncInst* realloc = nullptr;
  FuncInst* post_return = nullptr;
};

class ComponentInstance {
 public:
  static Result<std::unique_ptr<ComponentInstance>> create(Store& store, std::shared_ptr<const Component> c);

  // The exported function `name`, or null.
  const LiftedFunc* func(std::string_view name) const;
  const std::vector<std::pair<std::string, const LiftedFunc*>>& funcs() const { return exports_; }
  // Calls f: a Trap error when the core code trapped or the call broke an
  // ABI rule (a pointer out of bounds, bad UTF-8, a bad discriminant),
  // with the function's name and the rule.
  Result<std::vector<Value>> call(const LiftedFunc& f, const std::vector<Value>& args);

 private:
  explicit ComponentInstance(Store& s) : store_(s) {}
  Store& store_;
  std::shared_ptr<const Component> component_;
  abi::Types types_;
  std::vector<std::shared_ptr<Module>> modules_;
  std::vector<std::map<std::string, Extern, std::less<>>> core_instances_;  // their exports
  std::vector<Extern> core_[4];  // core funcs, tables, memories, globals, by index
  std::vector<std::unique_ptr<LiftedFunc>> lifted_;
  std::vector<const LiftedFunc*> funcs_;  // the func index space
  std::vector<std::pair<std::string, const LiftedFunc*>> exports_;
};

}  // namespace wisp::component
