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
