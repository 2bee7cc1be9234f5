/* hostref: host references (foreign objects, and functions used as
 * externref) through wasm globals, tables and calls come back as the same
 * references, with their host info; null stays null. */
#include "check.h"

static wasm_trap_t* identity(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_ref_t* call_r(const wasm_func_t* f, wasm_ref_t* r) {
  wasm_val_t a[1] = {WASM_REF_VAL(r)};
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(a), results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  CHECK(out[0].kind == WASM_EXTERNREF);
  return out[0].of.ref;
}

static void call_set(const wasm_func_t* f, int32_t i, wasm_ref_t* r, int with_index) {
  wasm_val_t a[2] = {WASM_I32_VAL(i), WASM_REF_VAL(r)};
  wasm_val_vec_t args = {with_index ? 2 : 1, with_index ? a : a + 1}, results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(f, &args, &results) == NULL);
}

static wasm_ref_t* call_get(const wasm_func_t* f, int32_t i, int with_index) {
  wasm_val_t a[1] = {WASM_I32_VAL(i)};
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {with_index ? 1 : 0, a}, results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return out[0].of.ref;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  wasm_func_t* f = wasm_func_new(store, type, identity);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
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
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
