/* hostref: host references (foreign objects, and functions used as
 * externref) through wasm globals, tables and calls come back as the same
 * references, with their host info; null stays null. */
#include "check.h"

static wasm_trap_t* identity(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_ref_t* call_r(const wasm_func_t* f, wasm_ref_t* r) {
  wasm_val_t a[1] = {WASM_REF_VAL(r)}, out[1] = {WASM_INIT_VAL};
  CHECK(call(f, a, 1, out, 1) == NULL);
  CHECK(out[0].kind == WASM_EXTERNREF);
  return out[0].of.ref;
}

static void call_set(const wasm_func_t* f, int32_t i, wasm_ref_t* r, int with_index) {
  wasm_val_t a[2] = {WASM_I32_VAL(i), WASM_REF_VAL(r)};
  CHECK(call(f, with_index ? a : a + 1, with_index ? 2 : 1, NULL, 0) == NULL);
}

static wasm_ref_t* call_get(const wasm_func_t* f, int32_t i, int with_index) {
  wasm_val_t a[1] = {WASM_I32_VAL(i)}, out[1] = {WASM_INIT_VAL};
  CHECK(call(f, a, with_index ? 1 : 0, out, 1) == NULL);
  return out[0].of.ref;
}

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  wasm_store_t* store = fx.store;
  wasm_func_t* f =
      host_func(store, wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref()), identity);
  wasm_extern_t* imports[] = {wasm_func_as_extern(f)};
  instantiate(&fx, imports, 1);
  const wasm_extern_vec_t exports = fx.exports;
  wasm_global_t* global = wasm_extern_as_global(exports.data[0]);
  wasm_table_t* table = wasm_extern_as_table(exports.data[1]);
  const wasm_func_t* global_set = export_func(&exports, 2);
  const wasm_func_t* global_get = export_func(&exports, 3);
  const wasm_func_t* table_set = export_func(&exports, 4);
  const wasm_func_t* table_get = export_func(&exports, 5);
  const wasm_func_t* func_call = export_func(&exports, 6);

  wasm_foreign_t* foreign1 = wasm_foreign_new(store);
  wasm_foreign_t* foreign2 = wasm_foreign_new(store);
  wasm_foreign_set_host_info(foreign1, (void*)1);
  wasm_foreign_set_host_info(foreign2, (void*)2);
  wasm_ref_t* r1 = wasm_foreign_as_ref(foreign1);
  wasm_ref_t* r2 = wasm_foreign_as_ref(foreign2);
  wasm_ref_t* r3 = wasm_func_as_ref(f);  /* a function as an external reference */
  CHECK(!wasm_ref_same(r1, r2));

  /* Through a call into wasm and out to the host and back. */
  wasm_ref_t* back = call_r(func_call, r1);
  CHECK(wasm_ref_same(back, r1) && wasm_ref_get_host_info(back) == (void*)1);
  CHECK(wasm_ref_as_foreign(back) != NULL && wasm_ref_as_func(back) == NULL);
  wasm_ref_delete(back);
  back = call_r(func_call, r3);
  CHECK(wasm_ref_same(back, r3) && wasm_ref_as_func(back) != NULL);
  wasm_ref_delete(back);
  CHECK(call_r(func_call, NULL) == NULL);

  /* Through a global, set and read from either side. */
  CHECK(call_get(global_get, 0, 0) == NULL);
  call_set(global_set, 0, r2, 0);
  wasm_val_t v;
  wasm_global_get(global, &v);
  CHECK(v.kind == WASM_EXTERNREF && wasm_ref_same(v.of.ref, r2));
  CHECK(wasm_ref_get_host_info(v.of.ref) == (void*)2);
  wasm_val_delete(&v);
  wasm_val_t nv = WASM_REF_VAL(r1);
  wasm_global_set(global, &nv);
  back = call_get(global_get, 0, 0);
  CHECK(wasm_ref_same(back, r1));
  wasm_ref_delete(back);

  /* Through a table. */
  call_set(table_set, 3, r2, 1);
  wasm_ref_t* got = wasm_table_get(table, 3);
  CHECK(wasm_ref_same(got, r2));
  wasm_ref_delete(got);
  CHECK(wasm_table_set(table, 4, r1));
  back = call_get(table_get, 4, 1);
  CHECK(wasm_ref_same(back, r1));
  wasm_ref_delete(back);
  CHECK(call_get(table_get, 5, 1) == NULL);

  /* Host info set later shows through every handle. */
  wasm_ref_t* copy = wasm_ref_copy(r1);
  wasm_ref_set_host_info(copy, (void*)7);
  CHECK(wasm_foreign_get_host_info(foreign1) == (void*)7);
  wasm_ref_delete(copy);

  wasm_foreign_delete(foreign1);
  wasm_foreign_delete(foreign2);
  wasm_func_delete(f);
  finish(&fx);
  return 0;
}
