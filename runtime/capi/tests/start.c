/* start: a start function that traps makes instantiation fail with the
 * trap and its message. */
#include "check.h"

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_trap_t* trap = NULL;
  CHECK(wasm_instance_new(fx.store, fx.module, &imports, &trap) == NULL);
  CHECK(trap != NULL && trap_says(trap, "unreachable"));
  wasm_trap_delete(trap);
  finish(&fx);
  return 0;
}
