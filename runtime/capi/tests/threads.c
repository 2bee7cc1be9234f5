/* threads: one module shared between threads (wasm_module_share /
 * obtain), each thread with its own store instantiating it several times
 * with its own imports, all at once. */
#include <pthread.h>

#include "check.h"

enum { kThreads = 8, kReps = 5 };

static wasm_engine_t* engine;
static wasm_shared_module_t* shared;
static int reports[kThreads];

static wasm_trap_t* report(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  int id = args->data[0].of.i32;
  CHECK(id == (int)(intptr_t)env);
  __atomic_add_fetch(&reports[id], 1, __ATOMIC_RELAXED);
  return NULL;
}

static void* run(void* arg) {
  const int id = (int)(intptr_t)arg;
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_obtain(store, shared);
  CHECK(module != NULL);
  for (int rep = 0; rep < kReps; ++rep) {
    wasm_functype_t* ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
    wasm_func_t* func = wasm_func_new_with_env(store, ft, report, (void*)(intptr_t)id, NULL);
    wasm_functype_delete(ft);
    wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
    wasm_val_t v = WASM_I32_VAL(id);
    wasm_global_t* global = wasm_global_new(store, gt, &v);
    wasm_globaltype_delete(gt);
    wasm_extern_t* externs[] = {wasm_func_as_extern(func), wasm_global_as_extern(global)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
    wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
    CHECK(instance != NULL);
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    CHECK(wasm_func_call(export_func(&exports, 0), &none, &none) == NULL);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_func_delete(func);
    wasm_global_delete(global);
  }
  wasm_module_delete(module);
  wasm_store_delete(store);
  return NULL;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  shared = wasm_module_share(module);
  wasm_module_delete(module);
  wasm_store_delete(store);

  pthread_t threads[kThreads];
  for (int i = 0; i < kThreads; ++i) CHECK(pthread_create(&threads[i], NULL, run, (void*)(intptr_t)i) == 0);
  for (int i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);
  for (int i = 0; i < kThreads; ++i) CHECK(reports[i] == kReps);

  wasm_shared_module_delete(shared);
  wasm_engine_delete(engine);
  return 0;
}
