/* What the C API tests share: CHECK, and a module loaded from a file. */
#ifndef WISP_CAPI_TESTS_CHECK_H
#define WISP_CAPI_TESTS_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm.h"

#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
      exit(1);                                                                  \
    }                                                                           \
  } while (0)

/* The file's bytes, or exit. */
static inline void read_binary(const char* path, wasm_byte_vec_t* out) {
  FILE* f = fopen(path, "rb");
  CHECK(f != NULL);
  fseek(f, 0L, SEEK_END);
  long n = ftell(f);
  fseek(f, 0L, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)n);
  CHECK(fread(out->data, (size_t)n, 1, f) == 1);
  fclose(f);
}

static inline wasm_module_t* load_module(wasm_store_t* store, const char* path) {
  wasm_byte_vec_t binary;
  read_binary(path, &binary);
  CHECK(wasm_module_validate(store, &binary));
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  return module;
}

/* What most tests hold: the engine, a store, the module of argv[1], and
 * once instantiated the instance and its exports. */
typedef struct {
  wasm_engine_t* engine;
  wasm_store_t* store;
  wasm_module_t* module;
  wasm_instance_t* instance;
  wasm_extern_vec_t exports;
} fixture_t;

static inline void start(fixture_t* fx, int argc, char** argv) {
  CHECK(argc == 2);
  memset(fx, 0, sizeof *fx);
  fx->engine = wasm_engine_new();
  fx->store = wasm_store_new(fx->engine);
  fx->module = load_module(fx->store, argv[1]);
}

/* The module instantiated with these imports (or exit), its exports listed. */
static inline void instantiate(fixture_t* fx, wasm_extern_t* const* imports, size_t n) {
  wasm_extern_vec_t vec = {n, (wasm_extern_t**)imports};
  wasm_trap_t* trap = NULL;
  fx->instance = wasm_instance_new(fx->store, fx->module, &vec, &trap);
  CHECK(fx->instance != NULL && trap == NULL);
  wasm_instance_exports(fx->instance, &fx->exports);
}

static inline void finish(fixture_t* fx) {
  if (fx->instance) {
    wasm_extern_vec_delete(&fx->exports);
    wasm_instance_delete(fx->instance);
  }
  wasm_module_delete(fx->module);
  wasm_store_delete(fx->store);
  wasm_engine_delete(fx->engine);
}

/* A host function of type ft (deleted here). */
static inline wasm_func_t* host_func(wasm_store_t* store, wasm_functype_t* ft, wasm_func_callback_t cb) {
  wasm_func_t* f = wasm_func_new(store, ft, cb);
  wasm_functype_delete(ft);
  return f;
}

/* Calls f: its trap, or NULL with the results in results[0..nresults). */
static inline wasm_trap_t* call(const wasm_func_t* f, wasm_val_t* args, size_t nargs, wasm_val_t* results,
                                size_t nresults) {
  wasm_val_vec_t a = {nargs, args}, r = {nresults, results};
  return wasm_func_call(f, &a, &r);
}

/* Export i of an instance's exports, as a function (or exit). */
static inline const wasm_func_t* export_func(const wasm_extern_vec_t* exports, size_t i) {
  CHECK(i < exports->size);
  const wasm_func_t* f = wasm_extern_as_func(exports->data[i]);
  CHECK(f != NULL);
  return f;
}

/* Whether a trap's message (NUL-terminated) starts with `want`. */
static inline int trap_says(const wasm_trap_t* trap, const char* want) {
  wasm_message_t m;
  wasm_trap_message(trap, &m);
  int same = m.size > 0 && m.data[m.size - 1] == '\0' && strncmp(m.data, want, strlen(want)) == 0;
  if (!same) fprintf(stderr, "trap message: '%.*s', wanted '%s'\n", (int)m.size, m.data, want);
  wasm_byte_vec_delete(&m);
  return same;
}
#endif
