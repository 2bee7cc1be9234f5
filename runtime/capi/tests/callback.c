/* callback: host functions with and without an environment, their
 * arguments and results, and the environment's finalizer at store
 * deletion. */
#include "check.h"

static int printed = -1;
static int finalized = 0;

static wasm_trap_t* print(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
  CHECK(results->size == 1 && results->data[0].kind == WASM_I32);
  printed = args->data[0].of.i32;
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_trap_t* closure(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 0 && results->size == 1);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = *(int*)env;
  return NULL;
}

static void finalize(void* env) { finalized = *(int*)env; }

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  wasm_store_t* store = fx.store;
  wasm_func_t* print_func = host_func(store, wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()), print);
  static int env = 42;
  wasm_functype_t* closure_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* closure_func = wasm_func_new_with_env(store, closure_type, closure, &env, finalize);
  wasm_functype_delete(closure_type);

  /* A function's type, as made. */
  wasm_functype_t* t = wasm_func_type(closure_func);
  CHECK(wasm_functype_params(t)->size == 0 && wasm_functype_results(t)->size == 1);
  CHECK(wasm_valtype_kind(wasm_functype_results(t)->data[0]) == WASM_I32);
  wasm_functype_delete(t);

  wasm_extern_t* imports[] = {wasm_func_as_extern(print_func), wasm_func_as_extern(closure_func)};
  instantiate(&fx, imports, 2);
  wasm_func_delete(print_func);
  wasm_func_delete(closure_func);

  const wasm_func_t* run = export_func(&fx.exports, 0);
  wasm_val_t as[2] = {WASM_I32_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  CHECK(call(run, as, 2, rs, 1) == NULL);
  CHECK(printed == 7);
  CHECK(rs[0].kind == WASM_I32 && rs[0].of.i32 == 7 + 42);

  /* The wrong argument types or count: a trap, not a crash. */
  wasm_val_t bad[2] = {WASM_I64_VAL(3), WASM_I32_VAL(4)};
  wasm_trap_t* trap = call(run, bad, 2, rs, 1);
  CHECK(trap != NULL && trap_says(trap, "argument 0 has the wrong type"));
  wasm_trap_delete(trap);
  trap = call(run, as, 1, rs, 1);
  CHECK(trap != NULL && trap_says(trap, "wrong number of arguments"));
  wasm_trap_delete(trap);

  CHECK(finalized == 0);
  finish(&fx);
  CHECK(finalized == 42);
  return 0;
}
