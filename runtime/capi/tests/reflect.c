/* reflect: a module's exports (and imports) with their names and types,
 * and an instance's exports with the same kinds and types. */
#include "check.h"

static int name_is(const wasm_name_t* n, const char* s) { return n->size == strlen(s) && memcmp(n->data, s, n->size) == 0; }

int main(int argc, char** argv) {
  fixture_t fx;
  start(&fx, argc, argv);
  wasm_module_t* module = fx.module;

  wasm_importtype_vec_t import_types;
  wasm_module_imports(module, &import_types);
  CHECK(import_types.size == 0);
  wasm_importtype_vec_delete(&import_types);

  wasm_exporttype_vec_t export_types;
  wasm_module_exports(module, &export_types);
  CHECK(export_types.size == 4);
  CHECK(name_is(wasm_exporttype_name(export_types.data[0]), "func"));
  CHECK(name_is(wasm_exporttype_name(export_types.data[3]), "memory"));
  const wasm_functype_t* ft = wasm_externtype_as_functype_const(wasm_exporttype_type(export_types.data[0]));
  CHECK(ft != NULL);
  CHECK(wasm_functype_params(ft)->size == 3 && wasm_functype_results(ft)->size == 1);
  CHECK(wasm_valtype_kind(wasm_functype_params(ft)->data[1]) == WASM_F64);
  CHECK(wasm_valtype_kind(wasm_functype_params(ft)->data[2]) == WASM_F32);
  const wasm_globaltype_t* gt = wasm_externtype_as_globaltype_const(wasm_exporttype_type(export_types.data[1]));
  CHECK(gt && wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_F64 && wasm_globaltype_mutability(gt) == WASM_CONST);
  const wasm_tabletype_t* tt = wasm_externtype_as_tabletype_const(wasm_exporttype_type(export_types.data[2]));
  CHECK(tt && wasm_tabletype_limits(tt)->min == 0 && wasm_tabletype_limits(tt)->max == 50);
  const wasm_memorytype_t* mt = wasm_externtype_as_memorytype_const(wasm_exporttype_type(export_types.data[3]));
  CHECK(mt && wasm_memorytype_limits(mt)->min == 1 && wasm_memorytype_limits(mt)->max == wasm_limits_max_default);
  CHECK(wasm_externtype_as_functype_const(wasm_exporttype_type(export_types.data[3])) == NULL);

  /* Copies are equal and independent. */
  wasm_exporttype_vec_t copy;
  wasm_exporttype_vec_copy(&copy, &export_types);
  wasm_exporttype_vec_delete(&export_types);
  CHECK(copy.size == 4 && name_is(wasm_exporttype_name(copy.data[2]), "table"));

  instantiate(&fx, NULL, 0);
  const wasm_extern_vec_t exports = fx.exports;
  CHECK(exports.size == 4);
  const wasm_externkind_t kinds[4] = {WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE, WASM_EXTERN_MEMORY};
  for (size_t i = 0; i < 4; ++i) {
    CHECK(wasm_extern_kind(exports.data[i]) == kinds[i]);
    wasm_externtype_t* t = wasm_extern_type(exports.data[i]);
    CHECK(wasm_externtype_kind(t) == kinds[i]);
    CHECK(wasm_externtype_kind(wasm_exporttype_type(copy.data[i])) == kinds[i]);
    wasm_externtype_delete(t);
  }
  const wasm_func_t* func = export_func(&exports, 0);
  CHECK(wasm_func_param_arity(func) == 3 && wasm_func_result_arity(func) == 1);

  wasm_exporttype_vec_delete(&copy);
  finish(&fx);
  return 0;
}
