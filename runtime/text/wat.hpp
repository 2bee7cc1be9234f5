// WebAssembly text format (WAT) front end: text in, binary module out.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/result.hpp"

namespace wisp::text {

// One module: "(module $id? field*)" or a bare sequence of fields. Errors are
// Error{kind=ErrorKind::Malformed, message, line (1-based), offset (char offset)}.
// The result is the binary encoding, laid out as wabt's wat2wasm would; it is
// not validated (invalid modules encode fine, for the validator to reject).
Result<std::vector<uint8_t>> parse_wat(std::string_view text);

}  // namespace wisp::text
