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
                                                                     std::shared_ptr<const Component> c,
                                                                     const ComponentLinker* linker,
                                                                     InstanceCache* cache) {
  return create(store, std::move(c), linker, nullptr, cache);
}

Result<std::unique_ptr<ComponentInstance>> ComponentInstance::create(Store& store,
                                                                     std::shared_ptr<const Component> c,
                                                                     const ComponentLinker* linker, const Args* args,
                                                                     InstanceCache* cache) {
  std::unique_ptr<ComponentInstance> ci(new ComponentInstance(store));
  if (cache) cache->reset(c, linker);
  std::vector<std::shared_ptr<const Component>> components;  // the component index space
  ci->component_ = c;
  ci->types_ = c->types;
  auto core_extern = [&](Sort s, uint32_t idx) -> const Extern* {
    const int space = core_space(s);
    if (space < 0 || idx >= ci->core_[space].size()) return nullptr;
    return &ci->core_[space][idx];
  };
  // The type index space as definitions add to it; entries the decoder
  // could not know (imported and aliased types) are filled in here.
  uint32_t type_index = 0;
  // Types exported by imported instances, by instance and name.
  std::vector<Args::Types> instance_types;
  // Instances exported by nested component instances, by instance and name.
  std::vector<NameMap<Args::Funcs>> instance_instances;
  if (args) ci->resource_names_ = args->resource_names;
  for (const Definition& d : c->defs) {
    const size_t di = size_t(&d - c->defs.data());  // the definition's index, for the cache
    switch (d.kind) {
      case Definition::Type:
        ++type_index;
        break;
      case Definition::CoreModule: {
        if (d.module) {  // decoded and validated with the component, once
          ci->modules_.push_back(d.module);
          break;
        }
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
        NameMap<Extern> exports;
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
        } else if (a.target == Alias::Export && a.sort == Sort::Func) {
          if (a.instance >= ci->instances_.size()) return link_error("unknown instance");
          auto it = ci->instances_[a.instance].find(a.name);
          if (it == ci->instances_[a.instance].end())
            return link_error("instance " + std::to_string(a.instance) + " has no function `" + a.name + "`");
          ci->funcs_.push_back(it->second);
        } else if (a.target == Alias::Export && a.sort == Sort::Instance) {
          // An instance a nested component instance exports.
          if (a.instance >= instance_instances.size()) return link_error("unknown instance");
          auto it = instance_instances[a.instance].find(a.name);
          if (it == instance_instances[a.instance].end())
            return link_error("instance " + std::to_string(a.instance) + " has no instance `" + a.name + "`");
          ci->instances_.push_back(it->second);
          instance_types.emplace_back();
          instance_instances.emplace_back();
        } else if (a.target == Alias::Export && a.sort == Sort::Type) {
          ScopedType t;
          if (a.instance < instance_types.size()) {
            auto it = instance_types[a.instance].find(a.name);
            if (it != instance_types[a.instance].end()) t = it->second;
          }
          ci->types_.set(type_index, t.type, t.scope);
          ++type_index;
        } else if (a.target == Alias::Outer && a.sort == Sort::Type) {
          if (a.outer_count == 0 && a.outer_idx < ci->types_.size())
            ci->types_.set(type_index, ci->types_[a.outer_idx], &ci->types_.scope_of(a.outer_idx));
          ++type_index;
        } else if (a.target == Alias::Export) {
          return link_error("aliasing a " + std::string(sort_name(a.sort)) + " of an instance is not supported yet");
        }
        break;
      }
      case Definition::Canon: {
        const Canon& cn = *d.canon;
        auto opt = [&](Sort s, const std::optional<uint32_t>& idx) -> const Extern* {
          return idx ? core_extern(s, *idx) : nullptr;
        };
        if (cn.kind == Canon::Lower) {
          if (cn.func >= ci->funcs_.size()) return link_error("canon lower: unknown function");
          const ComponentFunc& cf = ci->funcs_[cn.func];
          if (!cf.host) {
            return link_error(cf.lifted ? "canon lower of a lifted function is not supported yet"
                                        : "import `" + cf.import_name + "` is not provided");
          }
          if (!cf.type || cf.type->kind != Type::Func) return link_error("canon lower: not a function type");
          const Extern* mem = opt(Sort::CoreMemory, cn.opts.memory);
          const Extern* re = opt(Sort::CoreFunc, cn.opts.realloc);
          std::shared_ptr<const InstanceCache::Lowered> sig = cache ? cache->lowered[di] : nullptr;
          if (!sig) {  // the options checked, the signature made: once per cache
            const abi::NeededOptions need = abi::needed_options(*cf.type, *cf.types, true);
            if (need.memory && !mem)
              return link_error("canon lower of `" + cf.import_name + "`: the `memory` option is required");
            if (need.realloc && !re)
              return link_error("canon lower of `" + cf.import_name + "`: the `realloc` option is required");
            sig = lowered_signature(cf);
            if (cache) cache->lowered[di] = sig;
          }
          FuncInst* lowered =
              ci->lower(cf, cn.opts, mem ? mem->memory() : nullptr, re ? re->func() : nullptr, std::move(sig));
          ci->core_[0].push_back(Extern{wisp::ExternKind::Func, lowered});
          break;
        }
        if (cn.kind == Canon::ResourceNew || cn.kind == Canon::ResourceRep || cn.kind == Canon::ResourceDrop) {
          const Type* t = cn.type < ci->types_.size() ? ci->types_[cn.type] : nullptr;
          if (!t || t->kind != Type::Resource) return link_error("canon resource: not a resource type");
          auto named = ci->resource_names_.find(t);
          const bool imported = named != ci->resource_names_.end();
          if (imported && cn.kind != Canon::ResourceDrop)
            return link_error("canon resource.new/rep of an imported resource");
          FuncInst* dtor = nullptr;
          const HostFunc* host_drop = nullptr;
          std::string what = imported ? named->second : "resource type " + std::to_string(cn.type);
          if (imported && linker) {
            // The host's destructor: "interface#[resource-drop]name".
            const size_t hash = named->second.find('#');
            const std::string drop = hash == std::string::npos
                                         ? "[resource-drop]" + named->second
                                         : named->second.substr(0, hash + 1) + "[resource-drop]" +
                                               named->second.substr(hash + 1);
            host_drop = linker->find(drop);
          }
          if (!imported && t->dtor) {
            const Extern* e = core_extern(Sort::CoreFunc, *t->dtor);
            dtor = e ? e->func() : nullptr;
          }
          static const char* const kNames[] = {"", "", "resource.new", "resource.drop", "resource.rep"};
          FuncInst* f = ci->resource_builtin(cn.kind, t, dtor, host_drop,
                                             std::string(kNames[cn.kind]) + " of " + what);
          ci->core_[0].push_back(Extern{wisp::ExternKind::Func, f});
          break;
        }
        if (cn.kind != Canon::Lift) return link_error("async and thread built-ins are not supported");
        auto f = std::make_unique<LiftedFunc>();
        const Extern* core = core_extern(Sort::CoreFunc, cn.func);
        f->core = core ? core->func() : nullptr;
        f->type = c->type(cn.type);
        if (!f->core || !f->type || f->type->kind != Type::Func)
          return link_error("canon lift: not a function type or core function");
        f->types = &ci->types_;
        f->owner = ci.get();
        f->opts = cn.opts;
        if (const Extern* e = opt(Sort::CoreMemory, cn.opts.memory)) f->memory = e->memory();
        if (const Extern* e = opt(Sort::CoreFunc, cn.opts.realloc)) f->realloc = e->func();
        if (const Extern* e = opt(Sort::CoreFunc, cn.opts.post_return)) f->post_return = e->func();
        if ((cn.opts.memory && !f->memory) || (cn.opts.realloc && !f->realloc) ||
            (cn.opts.post_return && !f->post_return))
          return link_error("canon lift: an option names an item wisp cannot provide yet");
        if (cache && cache->lifted[di]) {  // checked when the cache was filled
          f->sig = *cache->lifted[di];
          ci->funcs_.push_back(ComponentFunc{f.get(), nullptr, {}, f->type, f->types});
          ci->lifted_.push_back(std::move(f));
          break;
        }
        const abi::NeededOptions need = abi::needed_options(*f->type, ci->types_, false);
        if (need.memory && !f->memory) return link_error("canon lift: the `memory` option is required");
        if (need.realloc && !f->realloc) return link_error("canon lift: the `realloc` option is required");
        // The core function must have the flattened type; realloc and
        // post-return theirs (CanonicalABI.md, canon lift's validation).
        f->sig = abi::flatten_func(*f->type, ci->types_, false);
        if (std::string why = abi::check_core_type(f->sig, f->core->type()); !why.empty())
          return link_error("canon lift: the core function " + why);
        if (f->realloc) {
          const abi::CoreSignature r{{abi::Flat::I32, abi::Flat::I32, abi::Flat::I32, abi::Flat::I32},
                                     {abi::Flat::I32}};
          if (std::string why = abi::check_core_type(r, f->realloc->type()); !why.empty())
            return link_error("canon lift: realloc " + why);
        }
        if (f->post_return) {
          const abi::CoreSignature pr{f->sig.results, {}};
          if (std::string why = abi::check_core_type(pr, f->post_return->type()); !why.empty())
            return link_error("canon lift: post-return " + why);
        }
        if (cache) cache->lifted[di] = std::make_shared<const abi::CoreSignature>(f->sig);
        ci->funcs_.push_back(ComponentFunc{f.get(), nullptr, {}, f->type, f->types});
        ci->lifted_.push_back(std::move(f));
        break;
      }
      case Definition::Import: {
        const Import& im = *d.import;
        if (im.type.kind == ExternKind::Func && args && args->funcs.count(im.name)) {
          ci->funcs_.push_back(args->funcs.find(im.name)->second);  // from the enclosing component
        } else if (im.type.kind == ExternKind::Instance && args && args->instances.count(im.name)) {
          ci->instances_.push_back(args->instances.find(im.name)->second);
          auto t = args->instance_types.find(im.name);
          instance_types.push_back(t == args->instance_types.end() ? Args::Types{} : t->second);
          instance_instances.emplace_back();
        } else if (im.type.kind == ExternKind::Func) {
          ComponentFunc f;
          f.import_name = im.name;
          f.host = linker ? linker->find(im.name) : nullptr;
          f.type = c->type(im.type.idx);
          f.types = &ci->types_;
          if (!f.host) return link_error("import `" + im.name + "` is not provided");
          ci->funcs_.push_back(f);
        } else if (im.type.kind == ExternKind::Instance) {
          // Its functions by name, each with the type space of the
          // instance type it is declared in.
          const Type* it = c->type(im.type.idx);
          if (!it || it->kind != Type::Instance) return link_error("import `" + im.name + "`: not an instance type");
          auto scope = std::make_unique<abi::Types>();
          NameMap<ComponentFunc> funcs;
          Args::Types types;
          const std::vector<const HostFunc*>* cached_hosts =
              cache && !cache->hosts[di].empty() ? &cache->hosts[di] : nullptr;
          size_t host_n = 0;
          for (const Decl& dl : it->decls) {
            if (dl.kind == Decl::Type) {
              scope->push_back(dl.type.get());
            } else if (dl.kind == Decl::Alias && dl.alias->sort == Sort::Type) {
              const Alias& al = *dl.alias;
              const bool outer = al.target == Alias::Outer && al.outer_count == 1 && al.outer_idx < ci->types_.size();
              scope->add(outer ? ci->types_[al.outer_idx] : nullptr,
                         outer ? &ci->types_.scope_of(al.outer_idx) : nullptr);
            } else if ((dl.kind == Decl::Export || dl.kind == Decl::Import) &&
                       dl.extern_type.kind == ExternKind::Type) {
              const uint32_t i = dl.extern_type.idx;
              const bool sub = dl.extern_type.type_sub_resource;
              const Type* t = sub ? ci->imported_resource(im.name + "#" + dl.name)
                              : i < scope->size() ? (*scope)[i]
                                                  : nullptr;
              const abi::Types* home = !sub && i < scope->size() ? &scope->scope_of(i) : scope.get();
              scope->add(t, home);
              if (dl.kind == Decl::Export) types.emplace(dl.name, ScopedType{t, home});
            } else if (dl.kind == Decl::Export && dl.extern_type.kind == ExternKind::Func) {
              ComponentFunc f;
              f.import_name = im.name + "#" + dl.name;
              if (cached_hosts && host_n < cached_hosts->size()) {
                f.host = (*cached_hosts)[host_n++];
              } else {
                f.host = linker ? linker->find(f.import_name) : nullptr;
                if (cache) cache->hosts[di].push_back(f.host);
              }
              f.type = dl.extern_type.idx < scope->size() ? (*scope)[dl.extern_type.idx] : nullptr;
              f.types = scope.get();
              funcs.emplace(dl.name, f);
            }
          }
          ci->scopes_.push_back(std::move(scope));
          ci->instances_.push_back(std::move(funcs));
          instance_types.push_back(std::move(types));
          instance_instances.emplace_back();
        } else if (im.type.kind == ExternKind::Type) {
          if (type_index < ci->types_.size()) {
            const bool known = !im.type.type_sub_resource && im.type.idx < ci->types_.size();
            ci->types_.set(type_index,
                           im.type.type_sub_resource ? ci->imported_resource(im.name)
                           : known                   ? ci->types_[im.type.idx]
                                                     : nullptr,
                           known ? &ci->types_.scope_of(im.type.idx) : nullptr);
          }
          ++type_index;
        } else {
          return link_error("import `" + im.name + "`: only functions, instances and types can be imported yet");
        }
        break;
      }
      case Definition::Instance: {
        const Instance& in = *d.instance;
        if (in.instantiate) {
          // A nested component, its imports from the `with` arguments.
          if (in.component >= components.size()) return link_error("unknown component");
          Args nested;
          for (const auto& [name, si] : in.args) {
            if (si.sort == Sort::Func && si.idx < ci->funcs_.size()) nested.funcs.emplace(name, ci->funcs_[si.idx]);
            else if (si.sort == Sort::Instance && si.idx < ci->instances_.size()) {
              nested.instances.emplace(name, ci->instances_[si.idx]);
              nested.instance_types.emplace(name, instance_types[si.idx]);
            }
            else if (si.sort != Sort::Type)
              return link_error("instantiate argument `" + name + "`: a " + sort_name(si.sort) +
                                " is not supported yet");
          }
          nested.resource_names = ci->resource_names_;
          InstanceCache* child_cache = nullptr;
          if (cache) {
            if (!cache->nested[di]) cache->nested[di] = std::make_unique<InstanceCache>();
            child_cache = cache->nested[di].get();
          }
          auto child = create(store, components[in.component], linker, &nested, child_cache);
          if (!child.ok()) return child.error();
          NameMap<ComponentFunc> funcs;
          for (const auto& [name, f] : child.value()->exports_)
            funcs.emplace(name, ComponentFunc{f, nullptr, {}, f->type, f->types});
          NameMap<Args::Funcs> sub;  // its exported instances
          for (const auto& [name, idx] : child.value()->exported_instances_)
            sub.emplace(name, child.value()->instances_[idx]);
          ci->instances_.push_back(std::move(funcs));
          instance_types.emplace_back();
          instance_instances.push_back(std::move(sub));
          ci->children_.push_back(std::move(child.value()));
          break;
        }
        // A bag of inline exports: functions and types.
        NameMap<ComponentFunc> funcs;
        Args::Types types;
        for (const auto& [name, si] : in.exports) {
          if (si.sort == Sort::Func && si.idx < ci->funcs_.size()) funcs.emplace(name, ci->funcs_[si.idx]);
          else if (si.sort == Sort::Type && si.idx < ci->types_.size())
            types.emplace(name, ScopedType{ci->types_[si.idx], &ci->types_.scope_of(si.idx)});
          else if (si.sort != Sort::Type)
            return link_error("instance export `" + name + "`: a " + sort_name(si.sort) + " is not supported yet");
        }
        ci->instances_.push_back(std::move(funcs));
        instance_types.push_back(std::move(types));
        instance_instances.emplace_back();
        break;
      }
      case Definition::Start:
        return link_error("start functions are not supported yet");
      case Definition::Export: {
        const Export& ex = *d.export_;
        if (ex.item.sort == Sort::Func) {
          if (ex.item.idx >= ci->funcs_.size()) return link_error("export `" + ex.name + "`: unknown function");
          const ComponentFunc cf = ci->funcs_[ex.item.idx];
          if (!cf.lifted) return link_error("export `" + ex.name + "`: re-exporting an import is not supported yet");
          const LiftedFunc* f = cf.lifted;
          ci->funcs_.push_back(cf);
          // The first export of a function names it in messages.
          if (f->name.empty()) const_cast<LiftedFunc*>(f)->name = ex.name;
          ci->exports_.emplace_back(ex.name, f);
        } else if (ex.item.sort == Sort::Type) {
          if (ex.item.idx < ci->types_.size())
            ci->types_.set(type_index, ci->types_[ex.item.idx], &ci->types_.scope_of(ex.item.idx));
          ++type_index;
        } else if (ex.item.sort == Sort::Instance) {
          if (ex.item.idx >= ci->instances_.size()) return link_error("export `" + ex.name + "`: unknown instance");
          ci->exported_instances_.emplace_back(ex.name, ex.item.idx);
          // An export adds an index for the same instance.
          ci->instances_.push_back(ci->instances_[ex.item.idx]);
          instance_types.push_back(instance_types[ex.item.idx]);
          instance_instances.push_back(instance_instances[ex.item.idx]);
        } else if (ex.item.sort == Sort::Component) {
          return link_error("exporting a " + std::string(sort_name(ex.item.sort)) + " is not supported yet");
        }
        break;
      }
      case Definition::Component:
        components.push_back(d.component);
        break;
      case Definition::CoreType:
        break;
    }
  }
  return ci;
}

Status ComponentInstance::reset() {
  if (on_stack_) return make_error(ErrorKind::Other, "cannot reset a component instance while it runs");
  drop_handles();
  return store_.reset();
}

void ComponentInstance::drop_handles() {
  handles_.assign(1, Handle{});
  free_handles_.clear();
  next_scope_ = 0;
  for (auto& child : children_) child->drop_handles();
}

const Type* ComponentInstance::imported_resource(const std::string& full_name) {
  auto t = std::make_unique<Type>();
  t->kind = Type::Resource;
  resource_names_[t.get()] = full_name;
  imported_resources_.push_back(std::move(t));
  return imported_resources_.back().get();
}

const LiftedFunc* ComponentInstance::func(std::string_view name) const {
  for (const auto& [n, f] : exports_)
    if (n == name) return f;
  // "instance#func": a function of an exported instance.
  const size_t hash = name.find('#');
  if (hash == std::string_view::npos) return nullptr;
  for (const auto& [n, idx] : exported_instances_) {
    if (n != name.substr(0, hash)) continue;
    auto it = instances_[idx].find(name.substr(hash + 1));
    if (it != instances_[idx].end()) return it->second.lifted;
  }
  return nullptr;
}

Result<std::vector<Value>> ComponentInstance::call(std::string_view name, const std::vector<Value>& args) {
  const LiftedFunc* f = func(name);
  if (!f) return make_error(ErrorKind::Other, "no exported function `" + std::string(name) + "`");
  return call(*f, args);
}

std::string ComponentInstance::exported_instance(std::string_view prefix) const {
  for (const auto& [n, idx] : exported_instances_)
    if (n.rfind(prefix, 0) == 0) return n;
  return {};
}

}  // namespace wisp::component
