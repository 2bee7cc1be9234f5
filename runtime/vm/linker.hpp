// The Linker: resolves a module's imports by (module, name), from
// definitions or lazy resolvers, and instantiates it into a Store.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/vm/store.hpp"

namespace wisp {

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

}  // namespace wisp
