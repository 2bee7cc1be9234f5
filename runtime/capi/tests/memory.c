/* memory: an exported memory's bytes read and written from the host and
 * from wasm, its size, growing within its maximum and not past it, an
 * out-of-bounds access a trap; a memory the host makes. */
#include "check.h"

static wasm_trap_t* call(const wasm_func_t* f, int32_t* a, size_t na, wasm_val_t* out) {
  wasm_val_t args[2] = {WASM_I32_VAL(na > 0 ? a[0] : 0), WASM_I32_VAL(na > 1 ? a[1] : 0)};
  wasm_val_vec_t av = {na, args};
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t rv = {out ? 1 : 0, r};
  wasm_trap_t* trap = wasm_func_call(f, &av, &rv);
  if (out) *out = r[0];
  return trap;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  CHECK(memory != NULL);
  const wasm_func_t* size = export_func(&exports, 1);
  const wasm_func_t* load = export_func(&exports, 2);
  const wasm_func_t* store_fn = export_func(&exports, 3);

  CHECK(wasm_memory_size(memory) == 2);
  CHECK(wasm_memory_data_size(memory) == 2 * MEMORY_PAGE_SIZE);
  byte_t* data = wasm_memory_data(memory);
  CHECK(data[0] == 0 && data[0x1000] == 1 && data[0x1003] == 4);
  wasm_val_t r;
  int32_t a[2] = {0x1002, 0};
  CHECK(call(load, a, 1, &r) == NULL && r.of.i32 == 3);
  a[0] = 0x20000;  /* one past the end */
  wasm_trap_t* trap = call(load, a, 1, &r);
  CHECK(trap != NULL && trap_says(trap, "out of bounds memory access"));
  wasm_trap_delete(trap);

  /* wasm writes, the host reads; the host writes, wasm reads. */
  a[0] = 0x1002;
  a[1] = 5;
  CHECK(call(store_fn, a, 2, NULL) == NULL);
  CHECK(data[0x1002] == 5);
  data[0x1003] = 7;
  a[0] = 0x1003;
  CHECK(call(load, a, 1, &r) == NULL && r.of.i32 == 7);

  /* Growing: to the maximum, not past it. */
  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 3);
  CHECK(call(size, a, 0, &r) == NULL && r.of.i32 == 3);
  a[0] = 0x20000;
  CHECK(call(load, a, 1, &r) == NULL && r.of.i32 == 0);
  CHECK(!wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_grow(memory, 0));
  wasm_memorytype_t* mt = wasm_memory_type(memory);
  CHECK(wasm_memorytype_limits(mt)->min == 3 && wasm_memorytype_limits(mt)->max == 3);
  wasm_memorytype_delete(mt);

  /* A memory the host makes, with no maximum. */
  wasm_limits_t limits = {5, wasm_limits_max_default};
  wasm_memorytype_t* type = wasm_memorytype_new(&limits);
  wasm_memory_t* own_memory = wasm_memory_new(store, type);
  wasm_memorytype_delete(type);
  CHECK(own_memory != NULL);
  CHECK(wasm_memory_size(own_memory) == 5);
  CHECK(wasm_memory_grow(own_memory, 1) && wasm_memory_size(own_memory) == 6);
  wasm_memory_delete(own_memory);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
