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

// Process-wide id of a function type: equal types get equal ids, so
// call_indirect compares one integer across modules.
uint32_t canonical_type_id(const FuncType& t);
const FuncType& canonical_type(uint32_t id);

}  // namespace wisp
