/* memory: an exported memory's bytes read and written from the host and
 * from wasm, its size, growing within its maximum and not past it, an
 * out-of-bounds access a trap; a memory the host makes. */
#include "check.h"

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  instantiate(&fx, NULL, 0);
  wasm_memory_t* memory = wasm_extern_as_memory(fx.exports.data[0]);
  CHECK(memory != NULL);
  const wasm_func_t* size = export_func(&fx.exports, 1);
  const wasm_func_t* load = export_func(&fx.exports, 2);
  const wasm_func_t* store = export_func(&fx.exports, 3);

  CHECK(wasm_memory_size(memory) == 2);
  CHECK(wasm_memory_data_size(memory) == 2 * MEMORY_PAGE_SIZE);
  byte_t* data = wasm_memory_data(memory);
  CHECK(data[0] == 0 && data[0x1000] == 1 && data[0x1003] == 4);
  wasm_val_t a[2] = {WASM_I32_VAL(0x1002), WASM_I32_VAL(5)}, r[1];
  CHECK(call(load, a, 1, r, 1) == NULL && r[0].of.i32 == 3);
  a[0].of.i32 = 0x20000; /* one past the end */
  wasm_trap_t* trap = call(load, a, 1, r, 1);
  CHECK(trap != NULL && trap_says(trap, "out of bounds memory access"));
  wasm_trap_delete(trap);

  /* wasm writes, the host reads; the host writes, wasm reads. */
  a[0].of.i32 = 0x1002;
  CHECK(call(store, a, 2, NULL, 0) == NULL);
  CHECK(data[0x1002] == 5);
  data[0x1003] = 7;
  a[0].of.i32 = 0x1003;
  CHECK(call(load, a, 1, r, 1) == NULL && r[0].of.i32 == 7);

  /* Growing: to the maximum, not past it. */
  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 3);
  CHECK(call(size, NULL, 0, r, 1) == NULL && r[0].of.i32 == 3);
  a[0].of.i32 = 0x20000;
  CHECK(call(load, a, 1, r, 1) == NULL && r[0].of.i32 == 0);
  CHECK(!wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_grow(memory, 0));
  wasm_memorytype_t* mt = wasm_memory_type(memory);
  CHECK(wasm_memorytype_limits(mt)->min == 3 && wasm_memorytype_limits(mt)->max == 3);
  wasm_memorytype_delete(mt);

  /* A memory the host makes, with no maximum. */
  wasm_limits_t limits = {5, wasm_limits_max_default};
  wasm_memorytype_t* type = wasm_memorytype_new(&limits);
  wasm_memory_t* own_memory = wasm_memory_new(fx.store, type);
  wasm_memorytype_delete(type);
  CHECK(own_memory != NULL);
  CHECK(wasm_memory_size(own_memory) == 5);
  CHECK(wasm_memory_grow(own_memory, 1) && wasm_memory_size(own_memory) == 6);
  wasm_memory_delete(own_memory);
  finish(&fx);
  return 0;
}
