/* trap: a host function's trap and a wasm trap reach the caller with
 * their messages; a trap's origin and trace give the functions and the
 * code offsets. */
#include "check.h"

static wasm_store_t* store;

static wasm_trap_t* fail(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "callback abort");
  wasm_trap_t* trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  return trap;
}

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  store = fx.store;
  wasm_func_t* func = host_func(fx.store, wasm_functype_new_0_0(), fail);
  wasm_extern_t* imports[] = {wasm_func_as_extern(func)};
  instantiate(&fx, imports, 1);
  wasm_func_delete(func);
  CHECK(fx.exports.size == 2);

  wasm_trap_t* trap = call(export_func(&fx.exports, 0), NULL, 0, NULL, 0);
  CHECK(trap != NULL && trap_says(trap, "callback abort"));
  wasm_trap_delete(trap);

  trap = call(export_func(&fx.exports, 1), NULL, 0, NULL, 0);
  CHECK(trap != NULL && trap_says(trap, "unreachable"));
  wasm_frame_t* origin = wasm_trap_origin(trap);
  CHECK(origin != NULL);
  CHECK(wasm_frame_func_index(origin) == 2); /* $inner: the import is function 0 */
  CHECK(wasm_frame_instance(origin) != NULL);
  CHECK(wasm_instance_same(wasm_frame_instance(origin), fx.instance));
  CHECK(wasm_frame_module_offset(origin) > 0);
  CHECK(wasm_frame_func_offset(origin) > 0 && wasm_frame_func_offset(origin) < wasm_frame_module_offset(origin));
  wasm_frame_t* copy = wasm_frame_copy(origin);
  CHECK(wasm_frame_module_offset(copy) == wasm_frame_module_offset(origin));
  wasm_frame_delete(copy);
  wasm_frame_delete(origin);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 2);
  CHECK(wasm_frame_func_index(trace.data[0]) == 2 && wasm_frame_func_index(trace.data[1]) == 3);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
  finish(&fx);
  return 0;
}
