/* table: a funcref table read and written from the host (wasm functions
 * and a host function in it), calls through it from wasm, growing within
 * its maximum, a host-made table. */
#include "check.h"

static wasm_trap_t* negate(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static wasm_trap_t* call_at(const wasm_func_t* call_indirect, int32_t arg, int32_t index, int32_t* out) {
  wasm_val_t a[2] = {WASM_I32_VAL(arg), WASM_I32_VAL(index)}, r[1];
  wasm_trap_t* trap = call(call_indirect, a, 2, r, 1);
  if (!trap) *out = r[0].of.i32;
  return trap;
}

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  instantiate(&fx, NULL, 0);
  wasm_store_t* store = fx.store;
  wasm_table_t* table = wasm_extern_as_table(fx.exports.data[0]);
  const wasm_func_t* f = export_func(&fx.exports, 1);
  const wasm_func_t* call_indirect = export_func(&fx.exports, 2);
  CHECK(table != NULL);

  CHECK(wasm_table_size(table) == 2);
  CHECK(wasm_table_get(table, 0) == NULL);
  wasm_ref_t* at1 = wasm_table_get(table, 1);
  CHECK(at1 != NULL && wasm_ref_same(at1, wasm_func_as_ref_const(f)));
  wasm_ref_delete(at1);
  CHECK(wasm_table_get(table, 2) == NULL);  /* out of bounds */

  int32_t r = 0;
  CHECK(call_at(call_indirect, 7, 1, &r) == NULL && r == 8);
  wasm_trap_t* trap = call_at(call_indirect, 7, 0, &r);
  CHECK(trap != NULL && trap_says(trap, "uninitialized element 0"));
  wasm_trap_delete(trap);
  trap = call_at(call_indirect, 7, 2, &r);
  CHECK(trap != NULL && trap_says(trap, "undefined element 2"));
  wasm_trap_delete(trap);

  /* A host function in the table, called from wasm. */
  wasm_func_t* h = host_func(store, wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()), negate);
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(h)));
  CHECK(call_at(call_indirect, 7, 0, &r) == NULL && r == -7);
  CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(h)));
  CHECK(wasm_table_set(table, 1, NULL));
  trap = call_at(call_indirect, 7, 1, &r);
  CHECK(trap != NULL);
  wasm_trap_delete(trap);

  /* Growing, with an initial value, to the maximum and not past it. */
  CHECK(wasm_table_grow(table, 3, wasm_func_as_ref((wasm_func_t*)f)));
  CHECK(wasm_table_size(table) == 5);
  CHECK(call_at(call_indirect, 1, 4, &r) == NULL && r == 2);
  CHECK(wasm_table_grow(table, 5, NULL));
  CHECK(!wasm_table_grow(table, 1, NULL));
  wasm_tabletype_t* tt = wasm_table_type(table);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF);
  CHECK(wasm_tabletype_limits(tt)->min == 10 && wasm_tabletype_limits(tt)->max == 10);
  wasm_tabletype_delete(tt);

  /* A table the host makes. */
  wasm_limits_t limits = {5, 5};
  wasm_tabletype_t* type2 = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t* own_table = wasm_table_new(store, type2, wasm_func_as_ref(h));
  wasm_tabletype_delete(type2);
  CHECK(own_table != NULL && wasm_table_size(own_table) == 5);
  wasm_ref_t* got = wasm_table_get(own_table, 4);
  CHECK(wasm_ref_same(got, wasm_func_as_ref(h)));
  wasm_ref_delete(got);
  CHECK(!wasm_table_grow(own_table, 1, NULL));
  wasm_table_delete(own_table);

  wasm_func_delete(h);
  finish(&fx);
  return 0;
}
