// The Linker: imports resolved by (module, name), eagerly or lazily.
#include "runtime/vm/linker.hpp"

namespace wisp {

void Linker::define(std::string module, std::string name, Extern e) {
  defs_[{std::move(module), std::move(name)}] = e;
}

void Linker::define_instance(const std::string& module, const Instance* inst) {
  for (const Export& e : inst->module->exports) {
    auto ex = inst->export_(e.name);
    if (ex) define(module, std::string(e.name), *ex);
  }
}

void Linker::define_lazy(std::string module, Resolver resolve) {
  lazy_[std::move(module)] = std::move(resolve);
}

std::optional<Extern> Linker::find(std::string_view module, std::string_view name) const {
  auto it = defs_.find(std::make_pair(std::string(module), std::string(name)));
  if (it == defs_.end()) return std::nullopt;
  return it->second;
}

std::optional<Extern> Linker::resolve(std::string_view module, std::string_view name) {
  if (auto e = find(module, name)) return e;
  auto it = lazy_.find(module);
  if (it == lazy_.end()) return std::nullopt;
  auto e = it->second(name);
  if (e) define(std::string(module), std::string(name), *e);
  return e;
}

Result<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const Module> m) {
  std::vector<Extern> imports;
  imports.reserve(m->imports.size());
  for (const Import& im : m->imports) {
    auto e = resolve(im.module, im.name);
    if (!e) {
      return make_error(ErrorKind::Link, "unknown import " + printable(im.module) + "." +
                                             printable(im.name));
    }
    imports.push_back(*e);
  }
  return store.instantiate(std::move(m), imports);
}

}  // namespace wisp
