/* finalize: host info with a finalizer on instances, functions and
 * foreign objects; every finalizer runs once, when its store is deleted,
 * and not before; two stores at once keep their own. */
#include "check.h"

enum { kInstances = 2000 };
static int live = 0;
static int finalized_sum = 0;

static void finalize(void* data) {
  --live;
  finalized_sum += (int)(intptr_t)data;
}

static int run_in_store(wasm_store_t* store, const char* path) {
  wasm_module_t* module = load_module(store, path);
  int sum = 0;
  for (int i = 1; i <= kInstances; ++i) {
    wasm_extern_vec_t imports = WASM_EMPTY_VEC;
    wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
    CHECK(instance != NULL);
    wasm_instance_set_host_info_with_finalizer(instance, (void*)(intptr_t)i, finalize);
    CHECK(wasm_instance_get_host_info(instance) == (void*)(intptr_t)i);
    ++live;
    sum += i;
    if (i % 100 == 0) {  /* on an export's function too, through another handle */
      wasm_extern_vec_t exports;
      wasm_instance_exports(instance, &exports);
      wasm_func_t* f = wasm_extern_as_func(exports.data[0]);
      wasm_func_set_host_info_with_finalizer(f, (void*)(intptr_t)1, finalize);
      wasm_extern_vec_t again;
      wasm_instance_exports(instance, &again);
      CHECK(wasm_func_get_host_info(wasm_extern_as_func(again.data[0])) == (void*)(intptr_t)1);
      wasm_extern_vec_delete(&again);
      wasm_extern_vec_delete(&exports);
      ++live;
      sum += 1;
    }
    wasm_instance_delete(instance);  /* the handle; the instance is the store's */
  }
  wasm_foreign_t* foreign = wasm_foreign_new(store);
  wasm_foreign_set_host_info_with_finalizer(foreign, (void*)(intptr_t)5, finalize);
  wasm_foreign_delete(foreign);
  ++live;
  sum += 5;
  wasm_module_delete(module);
  return sum;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store1 = wasm_store_new(engine);
  wasm_store_t* store2 = wasm_store_new(engine);
  const int sum1 = run_in_store(store1, argv[1]);
  const int sum2 = run_in_store(store2, argv[1]);
  CHECK(live == 2 * (kInstances + kInstances / 100 + 1));
  CHECK(finalized_sum == 0);

  wasm_store_delete(store2);
  CHECK(finalized_sum == sum2);
  CHECK(live == kInstances + kInstances / 100 + 1);
  wasm_store_delete(store1);
  CHECK(finalized_sum == sum1 + sum2);
  CHECK(live == 0);
  wasm_engine_delete(engine);
  return 0;
}
