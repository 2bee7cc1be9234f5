// Instantiation of a component's core parts, definition by definition in
// binary order (instance.hpp).
#include "runtime/component/instance.hpp"

#include "runtime/valid/decoder.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/vm/instances.hpp"

namespace wisp::component {

namespace {

Error link_error(std::string msg) { return make_error(ErrorKind::Link, std::move(msg)); }

// The core index space (core_[i]) of a core sort, or -1.
int core_space(Sort s) {
  switch (s) {
    case Sort::CoreFunc: return 0;
    case Sort::CoreTable: return 1;
    case Sort::CoreMemory: return 2;
    case Sort::CoreGlobal: return 3;
    default: return -1;
  }
}

}  // namespace

Result<std::unique_ptr<ComponentInstance>> ComponentInstance::create(Store& store,
                                                                     std::shared_ptr<const Component> c) {
  std::unique_ptr<ComponentInstance> ci(new ComponentInstance(store));
  ci->component_ = c;
  ci->types_ = c->types;
  auto core_extern = [&](Sort s, uint32_t idx) -> const Extern* {
    const int space = core_space(s);
    if (space < 0 || idx >= ci->core_[space].size()) return nullptr;
    return &ci->core_[space][idx];
  };
  for (const Definition& d : c->defs) {
    switch (d.kind) {
      case Definition::CoreModule: {
        auto m = decode_borrowed(d.module_bytes, d.module_size);
        if (!m.ok()) return m.error();
        auto owned = std::make_shared<Module>(std::move(m.value()));
        Status st = validate(*owned);
        if (!st.ok()) return st.error();
        ci->modules_.push_back(std::move(owned));
        break;
      }
      case Definition::CoreInstance: {
        const CoreInstance& in = *d.core_instance;
        std::map<std::string, Extern, std::less<>> exports;
        if (in.instantiate) {
          if (in.module >= ci->modules_.size()) return link_error("unknown core module");
          const std::shared_ptr<Module>& m = ci->modules_[in.module];
          std::vector<Extern> imports;
          for (const wisp::Import& im : m->imports) {
            const Extern* found = nullptr;
            for (const auto& [name, inst] : in.args) {
              if (name != im.module || inst >= ci->core_instances_.size()) continue;
              auto it = ci->core_instances_[inst].find(im.name);
              if (it != ci->core_instances_[inst].end()) found = &it->second;
            }
            if (!found || found->kind != im.kind)
              return link_error("core module " + std::to_string(in.module) + ": import `" + std::string(im.module) +
                                "." + std::string(im.name) + "` is not provided");
            imports.push_back(*found);
          }
          auto inst = store.instantiate(m, imports);
          if (!inst.ok()) return inst.error();
          for (const wisp::Export& ex : m->exports)
            if (auto e = inst.value()->export_(ex.name)) exports.emplace(std::string(ex.name), *e);
        } else {
          for (const auto& [name, si] : in.exports) {
            const Extern* e = core_extern(si.sort, si.idx);
            if (!e) return link_error("core instance export `" + name + "`: a " + sort_name(si.sort) +
                                      " cannot be re-exported yet");
            exports.emplace(name, *e);
          }
        }
        ci->core_instances_.push_back(std::move(exports));
        break;
      }
      case Definition::Alias: {
        const Alias& a = *d.alias;
        if (a.target == Alias::CoreExport) {
          const int space = core_space(a.sort);
          if (space < 0) break;  // core types and modules: nothing at run time
          if (a.instance >= ci->core_instances_.size()) return link_error("unknown core instance");
          auto& exports = ci->core_instances_[a.instance];
          auto it = exports.find(a.name);
          if (it == exports.end())
            return link_error("core instance " + std::to_string(a.instance) + " has no export `" + a.name + "`");
          ci->core_[space].push_back(it->second);
        } else if (a.sort == Sort::Func) {
          return link_error("aliasing a component instance's function is not supported yet");
        }
        break;
      }
      case Definition::Canon: {
        const Canon& cn = *d.canon;
        if (cn.kind != Canon::Lift) {
          return link_error(cn.kind == Canon::Lower ? "canon lower (a component import) is not supported yet"
                                                    : "resources are not supported yet");
        }
        auto f = std::make_unique<LiftedFunc>();
        const Extern* core = core_extern(Sort::CoreFunc, cn.func);
        f->core = core ? core->func() : nullptr;
        f->type = c->type(cn.type);
        if (!f->core || !f->type || f->type->kind != Type::Func)
          return link_error("canon lift: not a function type or core function");
        f->types = &ci->types_;
        f->opts = cn.opts;
        auto opt = [&](Sort s, const std::optional<uint32_t>& idx) -> const Extern* {
          return idx ? core_extern(s, *idx) : nullptr;
        };
        if (const Extern* e = opt(Sort::CoreMemory, cn.opts.memory)) f->memory = e->memory();
        if (const Extern* e = opt(Sort::CoreFunc, cn.opts.realloc)) f->realloc = e->func();
        if (const Extern* e = opt(Sort::CoreFunc, cn.opts.post_return)) f->post_return = e->func();
        if ((cn.opts.memory && !f->memory) || (cn.opts.realloc && !f->realloc) ||
            (cn.opts.post_return && !f->post_return))
          return link_error("canon lift: an option names an item wisp cannot provide yet");
        if (cn.opts.encoding != CanonOptions::Utf8) return link_error("only UTF-8 strings are supported yet");
        ci->funcs_.push_back(f.get());
        ci->lifted_.push_back(std::move(f));
        break;
      }
      case Definition::Import:
        return link_error("import `" + d.import->name + "` is not provided (component imports are not supported yet)");
      case Definition::Instance:
        return link_error("component instances are not supported yet");
      case Definition::Start:
        return link_error("start functions are not supported yet");
      case Definition::Export: {
        const Export& ex = *d.export_;
        if (ex.item.sort == Sort::Func) {
          if (ex.item.idx >= ci->funcs_.size()) return link_error("export `" + ex.name + "`: unknown function");
          const LiftedFunc* f = ci->funcs_[ex.item.idx];
          ci->funcs_.push_back(f);
          // The first export of a function names it in messages.
          if (f->name.empty()) const_cast<LiftedFunc*>(f)->name = ex.name;
          ci->exports_.emplace_back(ex.name, f);
        } else if (ex.item.sort == Sort::Instance || ex.item.sort == Sort::Component) {
          return link_error("exporting a " + std::string(sort_name(ex.item.sort)) + " is not supported yet");
        }
        break;
      }
      case Definition::CoreType:
      case Definition::Component:
      case Definition::Type:
        break;
    }
  }
  return ci;
}

const LiftedFunc* ComponentInstance::func(std::string_view name) const {
  for (const auto& [n, f] : exports_)
    if (n == name) return f;
  return nullptr;
}

}  // namespace wisp::component
