/* serialize: a module serialized, read back in another store, instantiated
 * and run; bytes that are not a serialized module are refused. */
#include "check.h"

static int got = 0;

static wasm_trap_t* hello(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  got = args->data[0].of.i32;
  return NULL;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  CHECK(serialized.size > 0);
  wasm_module_delete(module);
  wasm_store_delete(store);

  wasm_store_t* store2 = wasm_store_new(engine);
  wasm_module_t* again = wasm_module_deserialize(store2, &serialized);
  CHECK(again != NULL);
  wasm_byte_vec_t raw;
  read_binary(argv[1], &raw);
  CHECK(wasm_module_deserialize(store2, &raw) == NULL);  /* a plain binary is not a serialized module */
  wasm_byte_vec_delete(&raw);
  serialized.data[serialized.size - 1] ^= 0x55;  /* damaged */
  CHECK(wasm_module_deserialize(store2, &serialized) == NULL);
  wasm_byte_vec_delete(&serialized);

  wasm_func_t* func = host_func(store2, wasm_functype_new_1_0(wasm_valtype_new_i32()), hello);
  wasm_extern_t* externs[] = {wasm_func_as_extern(func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store2, again, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(call(export_func(&exports, 0), NULL, 0, NULL, 0) == NULL);
  CHECK(got == 42);

  wasm_func_delete(func);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(again);
  wasm_store_delete(store2);
  wasm_engine_delete(engine);
  return 0;
}
