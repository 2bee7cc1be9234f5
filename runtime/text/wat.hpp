// WebAssembly text format (WAT) front end: text in, binary module out.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/wasm/result.hpp"

namespace wisp::text {

// One module: "(module $id? field*)" or a bare sequence of fields. Errors are
// Error{kind=ErrorKind::Malformed, message, line (1-based), offset (char offset)}.
// The result is the binary encoding, laid out as wabt's wat2wasm would; it is
// not validated (invalid modules encode fine, for the validator to reject).
struct WatOptions {
  // Emit a "name" section with the module's and functions' `$id`s, so
  // traps and errors can name functions (off for spec-suite comparisons
  // with wabt, which leaves names out by default).
  bool names = false;
};
Result<std::vector<uint8_t>> parse_wat(std::string_view text, const WatOptions& opts = {});

// The 16 bytes of a v128 written as v128.const's immediates are ("i32x4 1 2
// 3 -1", "f64x2 0x1p-1 nan"), with the text format's literals; for values
// given on a command line.
Result<std::vector<uint8_t>> parse_v128_literal(std::string_view text);

}  // namespace wisp::text
