/* start: a start function that traps makes instantiation fail with the
 * trap, its message and where it happened. */
#include "check.h"

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance == NULL);
  CHECK(trap != NULL);
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  CHECK(strstr(message.data, "unreachable") != NULL);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);

  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
