/* hello: a host function imported, an export that calls it twice. */
#include "check.h"

static int calls = 0;

static wasm_trap_t* hello(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 0 && results->size == 0);
  ++calls;
  return NULL;
}

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  wasm_func_t* func = host_func(fx.store, wasm_functype_new_0_0(), hello);
  wasm_extern_t* imports[] = {wasm_func_as_extern(func)};
  instantiate(&fx, imports, 1);
  wasm_func_delete(func);

  CHECK(fx.exports.size == 1);
  const wasm_func_t* run = export_func(&fx.exports, 0);
  CHECK(wasm_func_param_arity(run) == 0 && wasm_func_result_arity(run) == 0);
  CHECK(call(run, NULL, 0, NULL, 0) == NULL);
  CHECK(calls == 2);
  finish(&fx);
  return 0;
}
