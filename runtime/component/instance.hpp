// An instantiated component, as far as issue 14 has come: its core modules
// instantiated and wired as its core instances say (`with` arguments,
// inline exports, core export aliases), its `canon lift`ed functions, and
// calls of its exported functions with component values, lowered into and
// lifted out of the core functions by the canonical ABI (abi.cpp).
//
// Imports are functions the host provides (ComponentLinker), at the top
// level or as exports of an imported instance, called by the component's
// core code through `canon lower`.
//
// Not yet: resources and handles (so no WASI 0.2), nested component
// instances, start. A component that needs one of them fails to
// instantiate with a Link error that names it.
#pragma once
#include <functional>
#include <map>
#include <unordered_map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/component/abi_layout.hpp"
#include "runtime/component/component.hpp"
#include "runtime/component/value.hpp"
#include "runtime/vm/store.hpp"

namespace wisp::component {

// Maps by name, found by string_view without a copy.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
template <class V>
using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;

// A `canon lift`: the core function, the component function type, and the
// options the ABI needs (memory, realloc, post-return).
class ComponentInstance;

struct LiftedFunc {
  std::string name;  // its export name, for messages
  ComponentInstance* owner = nullptr;  // whose handle table its handles index
  FuncInst* core = nullptr;
  const Type* type = nullptr;
  const abi::Types* types = nullptr;  // the component's types
  CanonOptions opts;
  MemoryInst* memory = nullptr;
  FuncInst* realloc = nullptr;
  FuncInst* post_return = nullptr;
  abi::CoreSignature sig;  // the flattened type, which `core`'s type matches
};

// A host function for a component import: component values in, out (one
// result at most), or an error that traps the caller with its message.
using HostFunc = std::function<Result<std::vector<Value>>(const std::vector<Value>& args)>;

// Host functions by import name: "name" for a function import, and
// "interface#name" for the function `name` of an imported instance
// ("wasi:cli/stdout@0.2.0#get-stdout").
class ComponentLinker {
 public:
  void define(std::string name, HostFunc f) { funcs_[std::move(name)] = std::move(f); }
  // What every function import not defined gets (tests and fuzzing: a
  // function that takes anything), if set.
  void define_fallback(HostFunc f) { fallback_ = std::move(f); }
  // Exact, else with a 0.x.y version taken as 0.x ("@0.2.12#f" finds
  // "@0.2#f"): any 0.2.x import binds to the host's 0.2.
  const HostFunc* find(std::string_view name) const {
    auto it = funcs_.find(name);
    if (it != funcs_.end()) return &it->second;
    const size_t at = name.find('@');
    if (at == std::string_view::npos) return fallback_ ? &fallback_ : nullptr;
    const size_t dot1 = name.find('.', at);
    const size_t dot2 = dot1 == std::string_view::npos ? dot1 : name.find('.', dot1 + 1);
    const size_t end = name.find('#', at);
    if (dot2 == std::string_view::npos || (end != std::string_view::npos && dot2 > end))
      return fallback_ ? &fallback_ : nullptr;
    std::string shorter(name.substr(0, dot2));
    if (end != std::string_view::npos) shorter += name.substr(end);
    it = funcs_.find(shorter);
    if (it != funcs_.end()) return &it->second;
    return fallback_ ? &fallback_ : nullptr;
  }

 private:
  NameMap<HostFunc> funcs_;
  HostFunc fallback_;
};

// One entry of a component's func index space: lifted from its core code,
// or imported from the host.
struct ComponentFunc {
  const LiftedFunc* lifted = nullptr;
  const HostFunc* host = nullptr;
  std::string import_name;  // an import's full name
  const Type* type = nullptr;
  const abi::Types* types = nullptr;  // the scope type indices of `type` refer to
};

// What instantiating a component computes that does not depend on the
// instance: the core signatures of its lowered and lifted functions (their
// options and types checked) and the host functions its imports resolve
// to. Kept for the next instantiation of the same component with the same
// linker (wisp serve keeps one per event loop); another component or
// linker empties it. It holds the component; the linker must outlive it.
// Not thread-safe: one per thread.
class InstanceCache {
 public:
  InstanceCache() = default;
  InstanceCache(const InstanceCache&) = delete;
  InstanceCache& operator=(const InstanceCache&) = delete;
  struct Lowered {  // a `canon lower`'s core signature
    abi::CoreSignature sig;
    FuncType core_type;
    uint32_t type_id = 0;  // core_type's canonical id
  };

 private:
  friend class ComponentInstance;
  std::shared_ptr<const Component> component;  // held: its address must not be reused while cached
  const ComponentLinker* linker = nullptr;
  // By definition index of the component:
  std::vector<std::shared_ptr<const Lowered>> lowered;  // canon lower
  std::vector<std::shared_ptr<const abi::CoreSignature>> lifted;  // canon lift
  std::vector<std::vector<const HostFunc*>> hosts;  // an instance import's functions, in order
  std::vector<std::unique_ptr<InstanceCache>> nested;  // an instantiated nested component's
  void reset(const std::shared_ptr<const Component>& c, const ComponentLinker* l) {
    if (component == c && linker == l) return;
    component = c;
    linker = l;
    lowered.clear();
    lifted.clear();
    hosts.clear();
    nested.clear();
    lowered.resize(c->defs.size());
    lifted.resize(c->defs.size());
    hosts.resize(c->defs.size());
    nested.resize(c->defs.size());
  }
};

// A type and the scope its own type indices are in (abi::Types::home).
struct ScopedType {
  const Type* type = nullptr;
  const abi::Types* scope = nullptr;
};

class ComponentInstance {
 public:
  // cache, if given, keeps what this instantiation works out for the next
  // one of the same component and linker (InstanceCache).
  static Result<std::unique_ptr<ComponentInstance>> create(Store& store, std::shared_ptr<const Component> c,
                                                           const ComponentLinker* linker = nullptr,
                                                           InstanceCache* cache = nullptr);
  // What an enclosing component passes a nested one it instantiates
  // (`with` arguments): functions, and instances as their functions.
  struct Args {
    using Funcs = NameMap<ComponentFunc>;
    using Types = NameMap<ScopedType>;
    NameMap<ComponentFunc> funcs;
    NameMap<Funcs> instances;
    NameMap<Types> instance_types;  // the types (resources) they export
    // The imported (host) resources the enclosing component knows, by
    // identity: a drop of one calls the host's destructor.
    std::map<const Type*, std::string> resource_names;
  };
  ~ComponentInstance();

  // Returns the instance to the state create() left it in, for another
  // use that must not see anything of the last (wisp serve's next
  // request): no handles (nor in nested instances), and its core instances
  // reset (Store::reset). The store must hold this component's instances
  // alone; not while one of its exports runs. After an error the instance
  // is fit only for destruction.
  Status reset();

  // The exported function `name` ("f", or "interface#f" for a function of
  // an exported instance), or null.
  const LiftedFunc* func(std::string_view name) const;
  // The name of the first exported instance whose name starts with prefix
  // ("wasi:cli/run@0.2"), or empty.
  std::string exported_instance(std::string_view prefix) const;
  const std::vector<std::pair<std::string, const LiftedFunc*>>& funcs() const { return exports_; }
  // Calls f: a Trap error when the core code trapped or the call broke an
  // ABI rule (a pointer out of bounds, bad UTF-8, a bad discriminant, a
  // call into an instance whose export is already running: no
  // reentrance), with the function's name and the rule.
  Result<std::vector<Value>> call(const LiftedFunc& f, const std::vector<Value>& args);
  // The exported function `name` (as func() finds it), or an error if none.
  Result<std::vector<Value>> call(std::string_view name, const std::vector<Value>& args);

  // The handle table (CanonicalABI.md, "Handles"): one per instance,
  // index 0 never used. A resource type is identified by its Type.
  struct Handle {
    const Type* resource = nullptr;  // null: a free slot
    uint32_t rep = 0;
    bool own = false;
    uint32_t lends = 0;  // borrows of an own handle still out
    uint32_t scope = 0;  // a borrow lent for a call: which (ComponentInstance::call)
  };
  uint32_t add_handle(const Type* resource, uint32_t rep, bool own);
  // The live handle `index` of `resource`, or null.
  Handle* handle(uint32_t index, const Type* resource);
  void remove_handle(uint32_t index);
  // Whether the resource type is this instance's own (defined by its
  // component, not imported).
  bool implements(const Type* resource) const { return !resource_names_.count(resource); }
  size_t live_handles() const;

 private:
  explicit ComponentInstance(Store& s) : store_(s) {}
  Store& store_;
  std::shared_ptr<const Component> component_;
  abi::Types types_;
  std::vector<std::shared_ptr<Module>> modules_;
  std::vector<NameMap<Extern>> core_instances_;  // their exports
  std::vector<Extern> core_[4];  // core funcs, tables, memories, globals, by index
  std::vector<std::unique_ptr<LiftedFunc>> lifted_;
  std::vector<ComponentFunc> funcs_;  // the func index space
  // Imported instances: their functions by name.
  std::vector<NameMap<ComponentFunc>> instances_;
  std::vector<std::unique_ptr<abi::Types>> scopes_;  // type spaces of imported instance types
  // What each trampoline (`canon lower`, resource built-ins) needs (abi.cpp).
  std::vector<std::shared_ptr<void>> keep_;
  std::vector<Handle> handles_{1};
  std::vector<uint32_t> free_handles_;
  // Imported resource types (sub resource): a Type each, their identity,
  // and their full names ("interface#name"), for the host's destructor.
  std::vector<std::unique_ptr<Type>> imported_resources_;
  std::map<const Type*, std::string> resource_names_;
  const Type* imported_resource(const std::string& full_name);
  // canon resource.new / .rep / .drop of resource type t (abi.cpp); the
  // destructor a drop runs: the component's own (dtor) or the host's
  // `[resource-drop]` function.
  FuncInst* resource_builtin(Canon::Kind kind, const Type* t, FuncInst* dtor, const HostFunc* host_drop,
                             std::string name);
  // A core function that calls f through the canonical ABI (abi.cpp).
  FuncInst* lower(const ComponentFunc& f, const CanonOptions& opts, MemoryInst* memory, FuncInst* realloc,
                  std::shared_ptr<const InstanceCache::Lowered> sig);
 public:
  // f's core signature as `canon lower` makes it (for InstanceCache).
  static std::shared_ptr<const InstanceCache::Lowered> lowered_signature(const ComponentFunc& f);
 private:
  std::vector<std::pair<std::string, const LiftedFunc*>> exports_;
  std::vector<std::pair<std::string, uint32_t>> exported_instances_;
  std::vector<std::unique_ptr<ComponentInstance>> children_;  // nested component instances
  void drop_handles();  // reset()'s part, here and in nested instances
  bool on_stack_ = false;
  uint32_t next_scope_ = 0;  // calls of exports so far: a borrow's scope  // one of its exports is running (CanonicalABI.md's may_enter is false)
  static Result<std::unique_ptr<ComponentInstance>> create(Store& store, std::shared_ptr<const Component> c,
                                                           const ComponentLinker* linker, const Args* args,
                                                           InstanceCache* cache);
};

}  // namespace wisp::component
