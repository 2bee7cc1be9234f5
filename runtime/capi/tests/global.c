/* global: host globals imported (constant and mutable), the module's own
 * exported; reads and writes from the host and from wasm see each other;
 * a constant cannot be set; the types are as declared. */
#include "check.h"

static wasm_val_t call0(const wasm_func_t* f) {
  wasm_val_t r[1] = {WASM_INIT_VAL};
  CHECK(call(f, NULL, 0, r, 1) == NULL);
  return r[0];
}
static void call1(const wasm_func_t* f, wasm_val_t v) { CHECK(call(f, &v, 1, NULL, 0) == NULL); }

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  wasm_store_t* store = fx.store;

  wasm_globaltype_t* const_f32_type = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_CONST);
  wasm_globaltype_t* var_i64_type = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t one = WASM_F32_VAL(1.5f), two = WASM_I64_VAL(2);
  wasm_global_t* const_f32 = wasm_global_new(store, const_f32_type, &one);
  wasm_global_t* var_i64 = wasm_global_new(store, var_i64_type, &two);
  CHECK(const_f32 && var_i64);
  /* A value of another type than the global's: refused. */
  CHECK(wasm_global_new(store, const_f32_type, &two) == NULL);
  wasm_globaltype_delete(const_f32_type);
  wasm_globaltype_delete(var_i64_type);

  wasm_extern_t* imports[] = {wasm_global_as_extern(const_f32), wasm_global_as_extern(var_i64)};
  instantiate(&fx, imports, 2);
  const wasm_extern_vec_t exports = fx.exports;
  CHECK(exports.size == 7);
  wasm_global_t* const_i32 = wasm_extern_as_global(exports.data[0]);
  wasm_global_t* var_f64 = wasm_extern_as_global(exports.data[1]);
  CHECK(const_i32 && var_f64);
  CHECK(wasm_extern_as_func(exports.data[0]) == NULL);

  wasm_globaltype_t* t = wasm_global_type(var_f64);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(t)) == WASM_F64);
  CHECK(wasm_globaltype_mutability(t) == WASM_VAR);
  wasm_globaltype_delete(t);

  wasm_val_t v;
  wasm_global_get(const_i32, &v);
  CHECK(v.kind == WASM_I32 && v.of.i32 == 5);
  CHECK(call0(export_func(&exports, 2)).of.f32 == 1.5f);
  CHECK(call0(export_func(&exports, 3)).of.i64 == 2);
  CHECK(call0(export_func(&exports, 5)).of.f64 == 6);

  /* The host writes, wasm reads; wasm writes, the host reads. */
  wasm_val_t seven = WASM_I64_VAL(7), eight = WASM_F64_VAL(8);
  wasm_global_set(var_i64, &seven);
  CHECK(call0(export_func(&exports, 3)).of.i64 == 7);
  wasm_global_set(var_f64, &eight);
  CHECK(call0(export_func(&exports, 5)).of.f64 == 8);
  call1(export_func(&exports, 4), (wasm_val_t)WASM_I64_VAL(9));
  wasm_global_get(var_i64, &v);
  CHECK(v.of.i64 == 9);
  call1(export_func(&exports, 6), (wasm_val_t)WASM_F64_VAL(10));
  wasm_global_get(var_f64, &v);
  CHECK(v.of.f64 == 10);
  /* A constant stays what it is. */
  wasm_val_t six = WASM_I32_VAL(6);
  wasm_global_set(const_i32, &six);
  wasm_global_get(const_i32, &v);
  CHECK(v.of.i32 == 5);

  /* Another handle of the same global is the same global. */
  wasm_global_t* copy = wasm_global_copy(var_i64);
  CHECK(wasm_global_same(copy, var_i64));
  CHECK(!wasm_global_same(copy, const_f32));
  wasm_global_delete(copy);

  wasm_global_delete(const_f32);
  wasm_global_delete(var_i64);
  finish(&fx);
  return 0;
}
