/* multi: several parameters and results through a host function and
 * back. */
#include "check.h"

static wasm_trap_t* swap(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 4 && results->size == 4);
  for (size_t i = 0; i < 4; ++i) wasm_val_copy(&results->data[i], &args->data[3 - i]);
  /* i32 i64 i64 i32 reversed is i32 i64 i64 i32 again. */
  return NULL;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_valtype_t* ps[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_t* rs[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, res;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_new(&res, 4, rs);
  wasm_functype_t* type = wasm_functype_new(&params, &res);
  wasm_func_t* func = wasm_func_new(store, type, swap);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(func);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* run = export_func(&exports, 0);
  CHECK(wasm_func_param_arity(run) == 4 && wasm_func_result_arity(run) == 4);
  wasm_val_t in[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t out[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in);
  wasm_val_vec_t results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(out[0].kind == WASM_I32 && out[0].of.i32 == 4);
  CHECK(out[1].kind == WASM_I64 && out[1].of.i64 == 3);
  CHECK(out[2].kind == WASM_I64 && out[2].of.i64 == 2);
  CHECK(out[3].kind == WASM_I32 && out[3].of.i32 == 1);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
