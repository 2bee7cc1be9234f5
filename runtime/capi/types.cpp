// wasm.h: vectors, and the type objects (valtype, functype, globaltype,
// tabletype, memorytype, externtype, importtype, exporttype).
#include <cstdlib>
#include <cstring>

#include "runtime/capi/capi.hpp"

namespace {

// A vector's elements: copied as values (bytes, vals) or, for handles,
// with the element type's own copy and delete.
template <class V, class T>
void vec_new_uninitialized(V* out, size_t n) {
  out->size = n;
  out->data = n ? new T[n] : nullptr;
}
template <class V>
void vec_new_empty(V* out) {
  out->size = 0;
  out->data = nullptr;
}

}  // namespace

#define WISP_VEC_OF_VALUES(name, T)                                                          \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) { vec_new_empty(out); }         \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t n) {             \
    vec_new_uninitialized<wasm_##name##_vec_t, T>(out, n);                                   \
  }                                                                                          \
  void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t n, const T src[]) {            \
    vec_new_uninitialized<wasm_##name##_vec_t, T>(out, n);                                   \
    for (size_t i = 0; i < n; ++i) out->data[i] = src[i];                                    \
  }                                                                                          \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* src) {    \
    wasm_##name##_vec_new_uninitialized(out, src->size);                                     \
    for (size_t i = 0; i < src->size; ++i) wisp_copy_elem(&out->data[i], &src->data[i]);     \
  }                                                                                          \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {                                    \
    for (size_t i = 0; i < v->size; ++i) wisp_delete_elem(&v->data[i]);                      \
    delete[] v->data;                                                                        \
    v->size = 0;                                                                             \
    v->data = nullptr;                                                                       \
  }

#define WISP_VEC_OF_HANDLES(name)                                                            \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) { vec_new_empty(out); }         \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t n) {             \
    vec_new_uninitialized<wasm_##name##_vec_t, wasm_##name##_t*>(out, n);                    \
    for (size_t i = 0; i < n; ++i) out->data[i] = nullptr;                                   \
  }                                                                                          \
  void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t n, wasm_##name##_t* const src[]) { \
    vec_new_uninitialized<wasm_##name##_vec_t, wasm_##name##_t*>(out, n);                    \
    for (size_t i = 0; i < n; ++i) out->data[i] = src[i];                                    \
  }                                                                                          \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* src) {    \
    vec_new_uninitialized<wasm_##name##_vec_t, wasm_##name##_t*>(out, src->size);            \
    for (size_t i = 0; i < src->size; ++i)                                                   \
      out->data[i] = src->data[i] ? wasm_##name##_copy(src->data[i]) : nullptr;              \
  }                                                                                          \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {                                    \
    for (size_t i = 0; i < v->size; ++i)                                                     \
      if (v->data[i]) wasm_##name##_delete(v->data[i]);                                      \
    delete[] v->data;                                                                        \
    v->size = 0;                                                                             \
    v->data = nullptr;                                                                       \
  }

static void wisp_copy_elem(wasm_byte_t* out, const wasm_byte_t* in) { *out = *in; }
static void wisp_delete_elem(wasm_byte_t*) {}
static void wisp_copy_elem(wasm_val_t* out, const wasm_val_t* in) { wasm_val_copy(out, in); }
static void wisp_delete_elem(wasm_val_t* v) { wasm_val_delete(v); }

extern "C" {

WISP_VEC_OF_VALUES(byte, wasm_byte_t)
WISP_VEC_OF_VALUES(val, wasm_val_t)
WISP_VEC_OF_HANDLES(valtype)
WISP_VEC_OF_HANDLES(functype)
WISP_VEC_OF_HANDLES(globaltype)
WISP_VEC_OF_HANDLES(tabletype)
WISP_VEC_OF_HANDLES(memorytype)
WISP_VEC_OF_HANDLES(externtype)
WISP_VEC_OF_HANDLES(importtype)
WISP_VEC_OF_HANDLES(exporttype)
WISP_VEC_OF_HANDLES(frame)
WISP_VEC_OF_HANDLES(extern)

// ---- value types ---------------------------------------------------------------

wasm_valtype_t* wasm_valtype_new(wasm_valkind_t k) { return new wasm_valtype_t{k}; }
void wasm_valtype_delete(wasm_valtype_t* t) { delete t; }
wasm_valtype_t* wasm_valtype_copy(const wasm_valtype_t* t) { return new wasm_valtype_t{t->kind}; }
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* t) { return t->kind; }

// ---- extern types ----------------------------------------------------------------

wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) {
  auto* t = new wasm_functype_t;
  t->kind = WASM_EXTERN_FUNC;
  t->params = *params;  // taken over
  t->results = *results;
  return t;
}
const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* t) { return &t->params; }
const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* t) { return &t->results; }

wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t m) {
  auto* t = new wasm_globaltype_t;
  t->kind = WASM_EXTERN_GLOBAL;
  t->content = content;
  t->mutability = m;
  return t;
}
const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* t) { return t->content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* t) { return t->mutability; }

wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* element, const wasm_limits_t* limits) {
  auto* t = new wasm_tabletype_t;
  t->kind = WASM_EXTERN_TABLE;
  t->content = element;
  t->limits = *limits;
  return t;
}
const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* t) { return t->content; }
const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* t) { return &t->limits; }

wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) {
  auto* t = new wasm_memorytype_t;
  t->kind = WASM_EXTERN_MEMORY;
  t->limits = *limits;
  return t;
}
const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* t) { return &t->limits; }

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* t) { return t->kind; }

wasm_externtype_t* wasm_externtype_copy(const wasm_externtype_t* t) {
  wasm_externtype_t* c = nullptr;
  switch (t->kind) {
    case WASM_EXTERN_FUNC: c = new wasm_functype_t; break;
    case WASM_EXTERN_GLOBAL: c = new wasm_globaltype_t; break;
    case WASM_EXTERN_TABLE: c = new wasm_tabletype_t; break;
    default: c = new wasm_memorytype_t; break;
  }
  c->kind = t->kind;
  wasm_valtype_vec_copy(&c->params, &t->params);
  wasm_valtype_vec_copy(&c->results, &t->results);
  c->content = t->content ? wasm_valtype_copy(t->content) : nullptr;
  c->mutability = t->mutability;
  c->limits = t->limits;
  return c;
}
void wasm_externtype_delete(wasm_externtype_t* t) { delete t; }

#define WISP_EXTERNTYPE_KIND(name, K)                                                                  \
  void wasm_##name##_delete(wasm_##name##_t* t) { delete t; }                                           \
  wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* t) {                                       \
    return static_cast<wasm_##name##_t*>(wasm_externtype_copy(t));                                      \
  }                                                                                                     \
  wasm_externtype_t* wasm_##name##_as_externtype(wasm_##name##_t* t) { return t; }                      \
  const wasm_externtype_t* wasm_##name##_as_externtype_const(const wasm_##name##_t* t) { return t; }    \
  wasm_##name##_t* wasm_externtype_as_##name(wasm_externtype_t* t) {                                    \
    return t && t->kind == K ? static_cast<wasm_##name##_t*>(t) : nullptr;                              \
  }                                                                                                     \
  const wasm_##name##_t* wasm_externtype_as_##name##_const(const wasm_externtype_t* t) {                \
    return t && t->kind == K ? static_cast<const wasm_##name##_t*>(t) : nullptr;                        \
  }
WISP_EXTERNTYPE_KIND(functype, WASM_EXTERN_FUNC)
WISP_EXTERNTYPE_KIND(globaltype, WASM_EXTERN_GLOBAL)
WISP_EXTERNTYPE_KIND(tabletype, WASM_EXTERN_TABLE)
WISP_EXTERNTYPE_KIND(memorytype, WASM_EXTERN_MEMORY)

// ---- import and export types -----------------------------------------------------

wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_importtype_t;
  t->module = *module;
  t->name = *name;
  t->type = type;
  return t;
}
void wasm_importtype_delete(wasm_importtype_t* t) { delete t; }
wasm_importtype_t* wasm_importtype_copy(const wasm_importtype_t* t) {
  auto* c = new wasm_importtype_t;
  wasm_name_copy(&c->module, &t->module);
  wasm_name_copy(&c->name, &t->name);
  c->type = wasm_externtype_copy(t->type);
  return c;
}
const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* t) { return &t->module; }
const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* t) { return t->type; }

wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) {
  auto* t = new wasm_exporttype_t;
  t->name = *name;
  t->type = type;
  return t;
}
void wasm_exporttype_delete(wasm_exporttype_t* t) { delete t; }
wasm_exporttype_t* wasm_exporttype_copy(const wasm_exporttype_t* t) {
  auto* c = new wasm_exporttype_t;
  wasm_name_copy(&c->name, &t->name);
  c->type = wasm_externtype_copy(t->type);
  return c;
}
const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* t) { return t->type; }

}  // extern "C"

wasm_externtype_t::~wasm_externtype_t() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
  if (content) wasm_valtype_delete(content);
}
wasm_importtype_t::~wasm_importtype_t() {
  wasm_name_delete(&module);
  wasm_name_delete(&name);
  if (type) wasm_externtype_delete(type);
}
wasm_exporttype_t::~wasm_exporttype_t() {
  wasm_name_delete(&name);
  if (type) wasm_externtype_delete(type);
}

// ---- conversions -------------------------------------------------------------------

namespace wisp::capi {

wasm_valkind_t valkind(ValType t) {
  switch (t.code()) {
    case ValType::I32: return WASM_I32;
    case ValType::I64: return WASM_I64;
    case ValType::F32: return WASM_F32;
    case ValType::F64: return WASM_F64;
    case ValType::ExternRef: return WASM_EXTERNREF;
    default: return WASM_FUNCREF;
  }
}

ValType valtype(wasm_valkind_t k) {
  switch (k) {
    case WASM_I32: return ValType::I32;
    case WASM_I64: return ValType::I64;
    case WASM_F32: return ValType::F32;
    case WASM_F64: return ValType::F64;
    case WASM_EXTERNREF: return ValType::ExternRef;
    default: return ValType::FuncRef;
  }
}

Limits limits(const wasm_limits_t& l) {
  Limits out;
  out.min = l.min;
  out.has_max = l.max != wasm_limits_max_default;
  out.max = out.has_max ? l.max : 0;
  return out;
}

wasm_limits_t limits(const Limits& l) {
  return {uint32_t(l.min), l.has_max ? uint32_t(l.max) : wasm_limits_max_default};
}

static void valtypes(const std::vector<ValType>& in, wasm_valtype_vec_t* out) {
  wasm_valtype_vec_new_uninitialized(out, in.size());
  for (size_t i = 0; i < in.size(); ++i) out->data[i] = wasm_valtype_new(valkind(in[i]));
}

wasm_functype_t* functype_of(const FuncType& f) {
  auto* t = new wasm_functype_t;
  t->kind = WASM_EXTERN_FUNC;
  valtypes(f.params, &t->params);
  valtypes(f.results, &t->results);
  return t;
}

FuncType functype(const wasm_functype_t* t) {
  FuncType f;
  for (size_t i = 0; i < t->params.size; ++i) f.params.push_back(valtype(t->params.data[i]->kind));
  for (size_t i = 0; i < t->results.size; ++i) f.results.push_back(valtype(t->results.data[i]->kind));
  return f;
}

wasm_externtype_t* externtype_of(wasm_store_t*, const Module& m, ExternKind kind, uint32_t index) {
  switch (kind) {
    case ExternKind::Func: return functype_of(m.func_type(index));
    case ExternKind::Global: {
      const GlobalType& g = m.globals[index].type;
      return wasm_globaltype_new(wasm_valtype_new(valkind(g.type)), g.mut ? WASM_VAR : WASM_CONST);
    }
    case ExternKind::Table: {
      const TableType& t = m.tables[index].type;
      const wasm_limits_t l = limits(t.limits);
      return wasm_tabletype_new(wasm_valtype_new(valkind(t.elem)), &l);
    }
    default: {
      const wasm_limits_t l = limits(m.memories[index].type.limits);
      return wasm_memorytype_new(&l);
    }
  }
}

}  // namespace wisp::capi
