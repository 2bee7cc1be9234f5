// wasm.h: the engine, stores, and the runtime objects (modules, instances,
// functions, globals, tables, memories, externs, traps, frames, foreign
// objects, references, values) over wisp's Store.
#include <cstring>

#include "runtime/capi/capi.hpp"

using wisp::capi::Object;

namespace wisp::capi {

wasm_ref_t* handle(Object* obj) {
  if (!obj) return nullptr;
  wasm_ref_t* h = nullptr;
  switch (obj->kind) {
    case Object::Func: h = new wasm_func_t; break;
    case Object::Global: h = new wasm_global_t; break;
    case Object::Table: h = new wasm_table_t; break;
    case Object::Memory: h = new wasm_memory_t; break;
    case Object::Instance: h = new wasm_instance_t; break;
    case Object::Module: h = new wasm_module_t; break;
    case Object::Trap: h = new wasm_trap_t; break;
    case Object::Foreign: h = new wasm_foreign_t; break;
  }
  h->obj = obj;
  return h;
}

Object* new_object(wasm_store_t* s, Object::Kind kind) {
  auto o = std::make_unique<Object>();
  o->kind = kind;
  o->store = s;
  return s->objects.emplace_back(std::move(o)).get();
}

Object* object_for(wasm_store_t* s, Object::Kind kind, void* ptr) {
  if (!ptr) return nullptr;
  auto it = s->by_ptr.find(ptr);
  if (it != s->by_ptr.end()) return it->second;
  Object* o = new_object(s, kind);
  switch (kind) {
    case Object::Func: o->func = static_cast<FuncInst*>(ptr); break;
    case Object::Global: o->global = static_cast<GlobalInst*>(ptr); break;
    case Object::Table: o->table = static_cast<TableInst*>(ptr); break;
    case Object::Memory: o->memory = static_cast<MemoryInst*>(ptr); break;
    case Object::Instance: o->instance = static_cast<wisp::Instance*>(ptr); break;
    default: break;
  }
  s->by_ptr.emplace(ptr, o);
  return o;
}

wasm_trap_t* make_trap(wasm_store_t* s, const wisp::Trap& t) {
  Object* o = new_object(s, Object::Trap);
  o->message = t.kind == TrapKind::Exit ? "exit" : t.message;
  o->message.push_back('\0');
  for (const TrapFrame& f : t.backtrace) {
    FrameInfo fi;
    fi.func = f.func;
    if (f.instance) {
      fi.instance = object_for(s, Object::Instance, const_cast<wisp::Instance*>(f.instance));
      const Module& m = *f.instance->module;
      if (f.offset >= 0) {
        fi.module_offset = size_t(f.offset);
        if (f.func < m.funcs.size() && !m.funcs[f.func].imported)
          fi.func_offset = size_t(f.offset) - m.funcs[f.func].body_offset;
      }
    }
    o->frames.push_back(fi);
  }
  return static_cast<wasm_trap_t*>(handle(o));
}

wisp::Value value(const wasm_val_t& v) {
  switch (v.kind) {
    case WASM_I32: return wisp::Value::i32(uint32_t(v.of.i32));
    case WASM_I64: return wisp::Value::i64(uint64_t(v.of.i64));
    case WASM_F32: return wisp::Value::f32(v.of.f32);
    case WASM_F64: return wisp::Value::f64(v.of.f64);
    case WASM_EXTERNREF: return wisp::Value::ref(ValType::ExternRef, v.of.ref ? v.of.ref->obj : nullptr);
    default: {
      Object* o = v.of.ref ? v.of.ref->obj : nullptr;
      return wisp::Value::ref(ValType::FuncRef, o && o->kind == Object::Func ? o->func : nullptr);
    }
  }
}

void value_out(wasm_store_t* s, const wisp::Value& v, wasm_val_t& out) {
  out.kind = valkind(v.type);
  switch (out.kind) {
    case WASM_I32: out.of.i32 = int32_t(v.bits.u32); break;
    case WASM_I64: out.of.i64 = int64_t(v.bits.u64); break;
    case WASM_F32: out.of.f32 = v.bits.f32; break;
    case WASM_F64: out.of.f64 = v.bits.f64; break;
    case WASM_EXTERNREF: out.of.ref = handle(static_cast<Object*>(v.bits.ref)); break;
    default: out.of.ref = handle(object_for(s, Object::Func, v.bits.ref)); break;
  }
}

// The store's runtime object behind an extern, as wisp's Extern.
static bool extern_of(const wasm_extern_t* e, wisp::Extern& out) {
  if (!e || !e->obj) return false;
  const Object* o = e->obj;
  switch (o->kind) {
    case Object::Func: out = {wisp::ExternKind::Func, o->func}; return true;
    case Object::Global: out = {wisp::ExternKind::Global, o->global}; return true;
    case Object::Table: out = {wisp::ExternKind::Table, o->table}; return true;
    case Object::Memory: out = {wisp::ExternKind::Memory, o->memory}; return true;
    default: return false;
  }
}

// What a host function does when wasm calls it: the arguments as
// wasm_val_t, the callback, its results back (or its trap's message).
static TrapKind call_host(HostContext& ctx, Slot* args) {
  auto* hf = static_cast<HostFunc*>(ctx.data);
  const FuncType& ft = hf->type;
  wasm_val_vec_t in, out;
  wasm_val_vec_new_uninitialized(&in, ft.params.size());
  wasm_val_vec_new_uninitialized(&out, ft.results.size());
  for (size_t i = 0; i < ft.params.size(); ++i) {
    wisp::Value v;
    v.type = ft.params[i];
    v.bits = args[i];
    value_out(hf->store, v, in.data[i]);
  }
  for (size_t i = 0; i < ft.results.size(); ++i) {
    out.data[i].kind = valkind(ft.results[i]);
    out.data[i].of.i64 = 0;
  }
  wasm_trap_t* trap = hf->callback_env ? hf->callback_env(hf->env, &in, &out) : hf->callback(&in, &out);
  TrapKind k = TrapKind::None;
  if (trap) {
    ctx.message = trap->obj->message.empty() ? "" : std::string(trap->obj->message.c_str());
    wasm_trap_delete(trap);
    k = TrapKind::HostError;
  } else {
    for (size_t i = 0; i < ft.results.size(); ++i) {
      if (out.data[i].kind != valkind(ft.results[i])) {
        ctx.message = "host function result " + std::to_string(i) + " has the wrong type";
        k = TrapKind::HostError;
        break;
      }
      args[i] = value(out.data[i]).bits;
    }
  }
  wasm_val_vec_delete(&in);
  wasm_val_vec_delete(&out);
  return k;
}

}  // namespace wisp::capi

using namespace wisp::capi;

wasm_store_t::~wasm_store_t() {
  for (auto& o : objects)
    if (o->finalizer) o->finalizer(o->host_info);
  for (auto& h : host_funcs)
    if (h->finalizer) h->finalizer(h->env);
}

extern "C" {

// ---- engine and store ------------------------------------------------------------

wasm_config_t* wasm_config_new(void) { return new wasm_config_t; }
void wasm_config_delete(wasm_config_t* c) { delete c; }
wasm_engine_t* wasm_engine_new(void) { return new wasm_engine_t; }
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* c) {
  delete c;
  return new wasm_engine_t;
}
void wasm_engine_delete(wasm_engine_t* e) { delete e; }

wasm_store_t* wasm_store_new(wasm_engine_t*) {
  // What an embedder of the C API expects: the spec's semantics, no
  // instance count limit (objects live as long as the store), wisp's
  // default tier (interpreter first, the JIT for what runs hot).
  wisp::StoreConfig cfg;
  cfg.tier = wisp::Tier::Auto;
  cfg.limits.max_instances = UINT32_MAX;
  return new wasm_store_t(std::move(cfg));
}
void wasm_store_delete(wasm_store_t* s) { delete s; }

// ---- references --------------------------------------------------------------------

#define WISP_REF_BASE(name)                                                                            \
  void wasm_##name##_delete(wasm_##name##_t* r) { delete r; }                                          \
  wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) {                                      \
    return r ? static_cast<wasm_##name##_t*>(handle(r->obj)) : nullptr;                                \
  }                                                                                                    \
  bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) {                        \
    return (a ? a->obj : nullptr) == (b ? b->obj : nullptr);                                           \
  }                                                                                                    \
  void* wasm_##name##_get_host_info(const wasm_##name##_t* r) { return r->obj->host_info; }            \
  void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) {                                   \
    r->obj->host_info = info;                                                                          \
    r->obj->finalizer = nullptr;                                                                       \
  }                                                                                                    \
  void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info, void (*fin)(void*)) { \
    r->obj->host_info = info;                                                                          \
    r->obj->finalizer = fin;                                                                           \
  }

#define WISP_REF(name, KIND)                                                                         \
  WISP_REF_BASE(name)                                                                                \
  wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) { return r; }                                 \
  const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) { return r; }               \
  wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                                               \
    return r && r->obj->kind == Object::KIND ? static_cast<wasm_##name##_t*>(r) : nullptr;           \
  }                                                                                                  \
  const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) {                           \
    return r && r->obj->kind == Object::KIND ? static_cast<const wasm_##name##_t*>(r) : nullptr;     \
  }

WISP_REF_BASE(ref)
WISP_REF(trap, Trap)
WISP_REF(foreign, Foreign)
WISP_REF(module, Module)
WISP_REF(func, Func)
WISP_REF(global, Global)
WISP_REF(table, Table)
WISP_REF(memory, Memory)
WISP_REF(instance, Instance)

// An extern's object is a function, global, table or memory.
WISP_REF_BASE(extern)
wasm_ref_t* wasm_extern_as_ref(wasm_extern_t* r) { return r; }
const wasm_ref_t* wasm_extern_as_ref_const(const wasm_extern_t* r) { return r; }
static bool is_extern(const wasm_ref_t* r) { return r && r->obj->kind <= Object::Memory; }
wasm_extern_t* wasm_ref_as_extern(wasm_ref_t* r) { return is_extern(r) ? static_cast<wasm_extern_t*>(r) : nullptr; }
const wasm_extern_t* wasm_ref_as_extern_const(const wasm_ref_t* r) {
  return is_extern(r) ? static_cast<const wasm_extern_t*>(r) : nullptr;
}

#define WISP_EXTERN_CASTS(name, KIND)                                                                  \
  wasm_extern_t* wasm_##name##_as_extern(wasm_##name##_t* r) { return r; }                              \
  const wasm_extern_t* wasm_##name##_as_extern_const(const wasm_##name##_t* r) { return r; }            \
  wasm_##name##_t* wasm_extern_as_##name(wasm_extern_t* e) {                                            \
    return e && e->obj->kind == Object::KIND ? static_cast<wasm_##name##_t*>(e) : nullptr;              \
  }                                                                                                     \
  const wasm_##name##_t* wasm_extern_as_##name##_const(const wasm_extern_t* e) {                        \
    return e && e->obj->kind == Object::KIND ? static_cast<const wasm_##name##_t*>(e) : nullptr;        \
  }
WISP_EXTERN_CASTS(func, Func)
WISP_EXTERN_CASTS(global, Global)
WISP_EXTERN_CASTS(table, Table)
WISP_EXTERN_CASTS(memory, Memory)

wasm_externkind_t wasm_extern_kind(const wasm_extern_t* e) {
  switch (e->obj->kind) {
    case Object::Func: return WASM_EXTERN_FUNC;
    case Object::Global: return WASM_EXTERN_GLOBAL;
    case Object::Table: return WASM_EXTERN_TABLE;
    default: return WASM_EXTERN_MEMORY;
  }
}

wasm_externtype_t* wasm_extern_type(const wasm_extern_t* e) {
  switch (e->obj->kind) {
    case Object::Func: return wasm_func_type(static_cast<const wasm_func_t*>(e));
    case Object::Global: return wasm_global_type(static_cast<const wasm_global_t*>(e));
    case Object::Table: return wasm_table_type(static_cast<const wasm_table_t*>(e));
    default: return wasm_memory_type(static_cast<const wasm_memory_t*>(e));
  }
}

// ---- values ---------------------------------------------------------------------------

void wasm_val_delete(wasm_val_t* v) {
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = nullptr;
  }
}
void wasm_val_copy(wasm_val_t* out, const wasm_val_t* in) {
  *out = *in;
  if (wasm_valkind_is_ref(in->kind) && in->of.ref) out->of.ref = wasm_ref_copy(in->of.ref);
}

// ---- frames and traps -------------------------------------------------------------

void wasm_frame_delete(wasm_frame_t* f) { delete f; }
wasm_frame_t* wasm_frame_copy(const wasm_frame_t* f) { return new wasm_frame_t(*f); }
wasm_instance_t* wasm_frame_instance(const wasm_frame_t* f) {
  // Not the caller's: the frame keeps the handle.
  if (!f->info.instance) return nullptr;
  auto* frame = const_cast<wasm_frame_t*>(f);
  if (!frame->instance) frame->instance = handle(f->info.instance);
  return static_cast<wasm_instance_t*>(frame->instance);
}
uint32_t wasm_frame_func_index(const wasm_frame_t* f) { return f->info.func; }
size_t wasm_frame_func_offset(const wasm_frame_t* f) { return f->info.func_offset; }
size_t wasm_frame_module_offset(const wasm_frame_t* f) { return f->info.module_offset; }

wasm_trap_t* wasm_trap_new(wasm_store_t* s, const wasm_message_t* msg) {
  Object* o = new_object(s, Object::Trap);
  o->message.assign(msg->data, msg->size);
  if (o->message.empty() || o->message.back() != '\0') o->message.push_back('\0');
  return static_cast<wasm_trap_t*>(handle(o));
}
void wasm_trap_message(const wasm_trap_t* t, wasm_message_t* out) {
  wasm_byte_vec_new(out, t->obj->message.size(), t->obj->message.data());
}
wasm_frame_t* wasm_trap_origin(const wasm_trap_t* t) {
  if (t->obj->frames.empty()) return nullptr;
  return new wasm_frame_t(t->obj->frames.front());
}
void wasm_trap_trace(const wasm_trap_t* t, wasm_frame_vec_t* out) {
  wasm_frame_vec_new_uninitialized(out, t->obj->frames.size());
  for (size_t i = 0; i < t->obj->frames.size(); ++i) out->data[i] = new wasm_frame_t(t->obj->frames[i]);
}

wasm_foreign_t* wasm_foreign_new(wasm_store_t* s) {
  return static_cast<wasm_foreign_t*>(handle(new_object(s, Object::Foreign)));
}

// ---- modules ------------------------------------------------------------------------

// Serialized modules: a magic, the binary's length and FNV-1a hash (8
// bytes each, little-endian), then the binary, validated again when read
// back (wisp keeps no compiled code across processes). A damaged or
// truncated one is refused.
static const char kSerialMagic[8] = {'w', 'i', 's', 'p', 'm', 'o', 'd', '1'};
static constexpr size_t kSerialHeader = 24;

static uint64_t fnv1a(const uint8_t* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

wasm_module_t* wasm_module_new(wasm_store_t* s, const wasm_byte_vec_t* binary) {
  const auto* p = reinterpret_cast<const uint8_t*>(binary->data);
  auto m = wisp::load_module(std::vector<uint8_t>(p, p + binary->size));
  if (!m.ok()) return nullptr;
  Object* o = new_object(s, Object::Module);
  o->module = m.value();
  return static_cast<wasm_module_t*>(handle(o));
}

bool wasm_module_validate(wasm_store_t*, const wasm_byte_vec_t* binary) {
  const auto* p = reinterpret_cast<const uint8_t*>(binary->data);
  return wisp::load_module(std::vector<uint8_t>(p, p + binary->size)).ok();
}

void wasm_module_imports(const wasm_module_t* mod, wasm_importtype_vec_t* out) {
  const wisp::Module& m = *mod->obj->module;
  wasm_importtype_vec_new_uninitialized(out, m.imports.size());
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const wisp::Import& im = m.imports[i];
    wasm_name_t module, name;
    wasm_name_new(&module, im.module.size(), im.module.data());
    wasm_name_new(&name, im.name.size(), im.name.data());
    out->data[i] = wasm_importtype_new(&module, &name, externtype_of(mod->obj->store, m, im.kind, im.index));
  }
}

void wasm_module_exports(const wasm_module_t* mod, wasm_exporttype_vec_t* out) {
  const wisp::Module& m = *mod->obj->module;
  wasm_exporttype_vec_new_uninitialized(out, m.exports.size());
  for (size_t i = 0; i < m.exports.size(); ++i) {
    const wisp::Export& ex = m.exports[i];
    wasm_name_t name;
    wasm_name_new(&name, ex.name.size(), ex.name.data());
    out->data[i] = wasm_exporttype_new(&name, externtype_of(mod->obj->store, m, ex.kind, ex.index));
  }
}

void wasm_module_serialize(const wasm_module_t* mod, wasm_byte_vec_t* out) {
  const wisp::Module& m = *mod->obj->module;
  wasm_byte_vec_new_uninitialized(out, kSerialHeader + m.size);
  const uint64_t len = m.size, hash = fnv1a(m.bytes, m.size);
  std::memcpy(out->data, kSerialMagic, 8);
  for (int i = 0; i < 8; ++i) {
    out->data[8 + i] = char(len >> (8 * i));
    out->data[16 + i] = char(hash >> (8 * i));
  }
  std::memcpy(out->data + kSerialHeader, m.bytes, m.size);
}

wasm_module_t* wasm_module_deserialize(wasm_store_t* s, const wasm_byte_vec_t* bytes) {
  if (bytes->size < kSerialHeader || std::memcmp(bytes->data, kSerialMagic, 8) != 0) return nullptr;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes->data);
  uint64_t len = 0, hash = 0;
  for (int i = 0; i < 8; ++i) {
    len |= uint64_t(p[8 + i]) << (8 * i);
    hash |= uint64_t(p[16 + i]) << (8 * i);
  }
  if (len != bytes->size - kSerialHeader || fnv1a(p + kSerialHeader, len) != hash) return nullptr;
  const wasm_byte_vec_t binary{size_t(len), bytes->data + kSerialHeader};
  return wasm_module_new(s, &binary);
}

void wasm_shared_module_delete(wasm_shared_module_t* m) { delete m; }
wasm_shared_module_t* wasm_module_share(const wasm_module_t* m) { return new wasm_shared_module_t{m->obj->module}; }
wasm_module_t* wasm_module_obtain(wasm_store_t* s, const wasm_shared_module_t* shared) {
  Object* o = new_object(s, Object::Module);
  o->module = shared->module;
  return static_cast<wasm_module_t*>(handle(o));
}

// ---- instances ------------------------------------------------------------------------

wasm_instance_t* wasm_instance_new(wasm_store_t* s, const wasm_module_t* mod, const wasm_extern_vec_t* imports,
                                   wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  std::vector<wisp::Extern> externs;
  const size_t n = imports ? imports->size : 0;
  for (size_t i = 0; i < n; ++i) {
    wisp::Extern e;
    if (!extern_of(imports->data[i], e)) {
      if (trap) {
        wisp::Trap t;
        t.message = "import " + std::to_string(i) + " is null or not an extern";
        *trap = make_trap(s, t);
      }
      return nullptr;
    }
    externs.push_back(e);
  }
  auto inst = s->store.instantiate(mod->obj->module, externs);
  if (!inst.ok()) {
    if (trap) {
      wisp::Trap t;
      t.kind = wisp::TrapKind::HostError;
      t.message = inst.error().message;
      *trap = make_trap(s, t);
    }
    return nullptr;
  }
  return static_cast<wasm_instance_t*>(handle(object_for(s, Object::Instance, inst.value())));
}

void wasm_instance_exports(const wasm_instance_t* i, wasm_extern_vec_t* out) {
  wisp::Instance* inst = i->obj->instance;
  const wisp::Module& m = *inst->module;
  wasm_store_t* s = i->obj->store;
  wasm_extern_vec_new_uninitialized(out, m.exports.size());
  for (size_t k = 0; k < m.exports.size(); ++k) {
    const wisp::Export& ex = m.exports[k];
    Object* o = nullptr;
    switch (ex.kind) {
      case wisp::ExternKind::Func: o = object_for(s, Object::Func, inst->funcs[ex.index]); break;
      case wisp::ExternKind::Global: o = object_for(s, Object::Global, inst->globals[ex.index]); break;
      case wisp::ExternKind::Table: o = object_for(s, Object::Table, inst->tables[ex.index]); break;
      case wisp::ExternKind::Memory: o = object_for(s, Object::Memory, inst->memories[ex.index]); break;
      default: break;
    }
    out->data[k] = static_cast<wasm_extern_t*>(handle(o));
  }
}

// ---- functions ----------------------------------------------------------------------------

static wasm_func_t* new_host_func(wasm_store_t* s, const wasm_functype_t* type, wasm_func_callback_t cb,
                                  wasm_func_callback_with_env_t cb_env, void* env, void (*fin)(void*)) {
  auto hf = std::make_unique<HostFunc>();
  hf->store = s;
  hf->callback = cb;
  hf->callback_env = cb_env;
  hf->env = env;
  hf->finalizer = fin;
  hf->type = functype(type);
  wisp::FuncInst* f = s->store.host_func(hf->type, &call_host, hf.get(), "host function");
  s->host_funcs.push_back(std::move(hf));
  return static_cast<wasm_func_t*>(handle(object_for(s, Object::Func, f)));
}

wasm_func_t* wasm_func_new(wasm_store_t* s, const wasm_functype_t* type, wasm_func_callback_t cb) {
  return new_host_func(s, type, cb, nullptr, nullptr, nullptr);
}
wasm_func_t* wasm_func_new_with_env(wasm_store_t* s, const wasm_functype_t* type, wasm_func_callback_with_env_t cb,
                                    void* env, void (*fin)(void*)) {
  return new_host_func(s, type, nullptr, cb, env, fin);
}

wasm_functype_t* wasm_func_type(const wasm_func_t* f) { return functype_of(f->obj->func->type()); }
size_t wasm_func_param_arity(const wasm_func_t* f) { return f->obj->func->nparams; }
size_t wasm_func_result_arity(const wasm_func_t* f) { return f->obj->func->nresults; }

wasm_trap_t* wasm_func_call(const wasm_func_t* f, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_store_t* s = f->obj->store;
  const wisp::FuncType& ft = f->obj->func->type();
  const size_t nargs = args ? args->size : 0;
  auto fail = [&](const std::string& msg) {
    wisp::Trap t;
    t.message = msg;
    return make_trap(s, t);
  };
  if (nargs != ft.params.size())
    return fail("wrong number of arguments: expected " + std::to_string(ft.params.size()) + ", got " +
                std::to_string(nargs));
  if (!results || results->size < ft.results.size())
    return fail("the results vector holds fewer than the function's " + std::to_string(ft.results.size()));
  std::vector<wisp::Value> in;
  for (size_t i = 0; i < nargs; ++i) {
    if (args->data[i].kind != valkind(ft.params[i])) return fail("argument " + std::to_string(i) + " has the wrong type");
    in.push_back(value(args->data[i]));
    in.back().type = ft.params[i];
  }
  wisp::CallResult r = s->store.call(f->obj->func, in);
  if (auto* t = std::get_if<wisp::Trap>(&r)) return make_trap(s, *t);
  const auto& out = std::get<std::vector<wisp::Value>>(r);
  for (size_t i = 0; i < out.size(); ++i) value_out(s, out[i], results->data[i]);
  return nullptr;
}

// ---- globals ------------------------------------------------------------------------------

wasm_global_t* wasm_global_new(wasm_store_t* s, const wasm_globaltype_t* type, const wasm_val_t* val) {
  wisp::GlobalType gt{valtype(type->content->kind), type->mutability == WASM_VAR};
  if (val->kind != type->content->kind) return nullptr;
  wisp::Value v = value(*val);
  v.type = gt.type;
  return static_cast<wasm_global_t*>(handle(object_for(s, Object::Global, s->store.global(gt, v))));
}
wasm_globaltype_t* wasm_global_type(const wasm_global_t* g) {
  const wisp::GlobalType& gt = g->obj->global->type;
  return wasm_globaltype_new(wasm_valtype_new(valkind(gt.type)), gt.mut ? WASM_VAR : WASM_CONST);
}
void wasm_global_get(const wasm_global_t* g, wasm_val_t* out) {
  wisp::Value v;
  v.type = g->obj->global->type.type;
  v.bits = g->obj->global->value;
  value_out(g->obj->store, v, *out);
}
void wasm_global_set(wasm_global_t* g, const wasm_val_t* val) {
  wisp::GlobalInst* gi = g->obj->global;
  if (!gi->type.mut || val->kind != valkind(gi->type.type)) return;  // the interface has no error to give
  gi->value = value(*val).bits;
}

// ---- tables -------------------------------------------------------------------------------

static wisp::Ref table_ref(const wisp::TableInst* t, const wasm_ref_t* r) {
  wasm_val_t v;
  v.kind = valkind(t->type.elem);
  v.of.ref = const_cast<wasm_ref_t*>(r);
  return value(v).bits.ref;
}

wasm_table_t* wasm_table_new(wasm_store_t* s, const wasm_tabletype_t* type, wasm_ref_t* init) {
  wisp::TableType tt{valtype(type->content->kind), limits(type->limits)};
  wasm_val_t v;
  v.kind = type->content->kind;
  v.of.ref = init;
  auto t = s->store.table(tt, value(v).bits.ref);
  if (!t.ok()) return nullptr;
  return static_cast<wasm_table_t*>(handle(object_for(s, Object::Table, t.value())));
}
wasm_tabletype_t* wasm_table_type(const wasm_table_t* t) {
  const wisp::TableType& tt = t->obj->table->type;
  wasm_limits_t l = limits(tt.limits);
  l.min = uint32_t(t->obj->table->elems.size());
  return wasm_tabletype_new(wasm_valtype_new(valkind(tt.elem)), &l);
}
wasm_ref_t* wasm_table_get(const wasm_table_t* t, wasm_table_size_t index) {
  const wisp::TableInst* ti = t->obj->table;
  if (index >= ti->elems.size()) return nullptr;
  wisp::Value v;
  v.type = ti->type.elem;
  v.bits.ref = ti->elems[index];
  wasm_val_t out;
  value_out(t->obj->store, v, out);
  return out.of.ref;
}
bool wasm_table_set(wasm_table_t* t, wasm_table_size_t index, wasm_ref_t* r) {
  wisp::TableInst* ti = t->obj->table;
  if (index >= ti->elems.size()) return false;
  if (r && ti->type.elem == wisp::ValType::FuncRef && r->obj->kind != Object::Func) return false;
  ti->elems[index] = table_ref(ti, r);
  return true;
}
wasm_table_size_t wasm_table_size(const wasm_table_t* t) { return wasm_table_size_t(t->obj->table->elems.size()); }
bool wasm_table_grow(wasm_table_t* t, wasm_table_size_t delta, wasm_ref_t* init) {
  wisp::TableInst* ti = t->obj->table;
  return ti->grow(delta, table_ref(ti, init)) >= 0;
}

// ---- memories -------------------------------------------------------------------------------

wasm_memory_t* wasm_memory_new(wasm_store_t* s, const wasm_memorytype_t* type) {
  auto m = s->store.memory(wisp::MemoryType{limits(type->limits)});
  if (!m.ok()) return nullptr;
  return static_cast<wasm_memory_t*>(handle(object_for(s, Object::Memory, m.value())));
}
wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* m) {
  wasm_limits_t l = limits(m->obj->memory->type.limits);
  l.min = uint32_t(m->obj->memory->mem.pages());
  return wasm_memorytype_new(&l);
}
byte_t* wasm_memory_data(wasm_memory_t* m) { return reinterpret_cast<byte_t*>(m->obj->memory->mem.base()); }
size_t wasm_memory_data_size(const wasm_memory_t* m) { return size_t(m->obj->memory->mem.size()); }
wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* m) {
  return wasm_memory_pages_t(m->obj->memory->mem.pages());
}
bool wasm_memory_grow(wasm_memory_t* m, wasm_memory_pages_t delta) { return m->obj->memory->grow(delta) >= 0; }

}  // extern "C"
