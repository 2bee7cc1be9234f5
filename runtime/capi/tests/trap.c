/* trap: a host function's trap and a wasm trap reach the caller with
 * their messages; a trap's origin and trace give the functions and the
 * code offsets. */
#include "check.h"

static wasm_store_t* store;

static wasm_trap_t* fail(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "callback abort");
  wasm_trap_t* trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  return trap;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* func = wasm_func_new(store, type, fail);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(func);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 2);
  wasm_val_vec_t none = WASM_EMPTY_VEC;

  wasm_trap_t* trap = wasm_func_call(export_func(&exports, 0), &none, &none);
  CHECK(trap != NULL && trap_says(trap, "callback abort"));
  wasm_trap_delete(trap);

  trap = wasm_func_call(export_func(&exports, 1), &none, &none);
  CHECK(trap != NULL && trap_says(trap, "unreachable"));
  wasm_frame_t* origin = wasm_trap_origin(trap);
  CHECK(origin != NULL);
  CHECK(wasm_frame_func_index(origin) == 2);  /* $inner: the import is function 0 */
  CHECK(wasm_frame_instance(origin) != NULL);
  CHECK(wasm_instance_same(wasm_frame_instance(origin), instance));
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

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
