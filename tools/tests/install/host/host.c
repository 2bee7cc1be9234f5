/* A small C host built out of tree against an installed wisp (find_package
 * or pkg-config): loads the module given, calls its export "add" with 2
 * and 40 and prints the result. */
#include <stdio.h>
#include <stdlib.h>

#include <wasm.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  FILE* f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0L, SEEK_END);
  size_t n = (size_t)ftell(f);
  fseek(f, 0L, SEEK_SET);
  wasm_byte_vec_t binary;
  wasm_byte_vec_new_uninitialized(&binary, n);
  if (fread(binary.data, n, 1, f) != 1) return 2;
  fclose(f);

  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) return 3;
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  if (!instance) return 4;
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* add = wasm_extern_as_func(exports.data[0]);
  wasm_val_t args[2] = {WASM_I32_VAL(2), WASM_I32_VAL(40)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t a = WASM_ARRAY_VEC(args), r = WASM_ARRAY_VEC(results);
  wasm_trap_t* trap = wasm_func_call(add, &a, &r);
  if (trap) return 5;
  printf("%d\n", results[0].of.i32);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
