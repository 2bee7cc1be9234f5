// Validator for Wasm 2.0. One pass per function body, no allocation per
// instruction. As it type-checks, it emits the in-place interpreter's side
// table (side_table.hpp) and fills Function::{code_offset, num_locals,
// max_height, side_table}.
#pragma once
#include "runtime/wasm/module.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp {

// Validates m and marks it validated. A module that is malformed in a way
// only visible inside function bodies (a bad opcode, a bad LEB) is reported
// as ErrorKind::Malformed even if an earlier part is invalid, as the spec's
// decode-then-validate order requires.
Status validate(Module& m);

// How validate() spreads the function bodies over threads. The defaults are
// what validate(m) uses; tests force the parallel path on small modules.
struct ValidateOptions {
  // Threads for the bodies; 0: std::thread::hardware_concurrency() when the
  // bodies add up to at least parallel_min_bytes, else 1 (a small module
  // must not pay for starting threads).
  unsigned threads = 0;
  size_t parallel_min_bytes = size_t(1) << 19;
  // Work is handed out in runs of consecutive functions of about this many
  // bytes of bodies.
  size_t chunk_bytes = size_t(1) << 16;
  // Build the interpreter's side table. Without it the module is valid but
  // cannot be instantiated (Module::side_table_built); `wisp validate`
  // needs only the verdict.
  bool side_table = true;
};
// Same result as validate(m) whatever the threads: the same side table, and
// on failure the same error (that of the lowest-index invalid function).
Status validate(Module& m, const ValidateOptions& opts);

// Process-wide id of a function type: equal types get equal ids, so
// call_indirect compares one integer across modules.
uint32_t canonical_type_id(const FuncType& t);
const FuncType& canonical_type(uint32_t id);

}  // namespace wisp
