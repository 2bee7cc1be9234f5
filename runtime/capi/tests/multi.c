/* multi: several parameters and results through a host function and
 * back. */
#include "check.h"

static wasm_trap_t* swap(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 4 && results->size == 4);
  /* i32 i64 i64 i32 reversed is i32 i64 i64 i32 again. */
  for (size_t i = 0; i < 4; ++i) wasm_val_copy(&results->data[i], &args->data[3 - i]);
  return NULL;
}

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  wasm_valtype_t* ps[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_t* rs[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, res;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_new(&res, 4, rs);
  wasm_func_t* func = host_func(fx.store, wasm_functype_new(&params, &res), swap);
  wasm_extern_t* imports[] = {wasm_func_as_extern(func)};
  instantiate(&fx, imports, 1);
  wasm_func_delete(func);

  const wasm_func_t* run = export_func(&fx.exports, 0);
  CHECK(wasm_func_param_arity(run) == 4 && wasm_func_result_arity(run) == 4);
  wasm_val_t in[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t out[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  CHECK(call(run, in, 4, out, 4) == NULL);
  CHECK(out[0].kind == WASM_I32 && out[0].of.i32 == 4);
  CHECK(out[1].kind == WASM_I64 && out[1].of.i64 == 3);
  CHECK(out[2].kind == WASM_I64 && out[2].of.i64 == 2);
  CHECK(out[3].kind == WASM_I32 && out[3].of.i32 == 1);
  finish(&fx);
  return 0;
}
