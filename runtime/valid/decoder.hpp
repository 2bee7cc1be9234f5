// Binary decoder: bytes -> Module. Checks the binary format (malformed
// modules); validation is validator.hpp's job. Function bodies are only
// delimited here; the validator reads them. It sits in valid/ beside the
// body walker because the binary format gives a constant expression no
// length: the walker's syntax-only mode finds its end (body_syntax.hpp).
#pragma once
#include <cstdint>
#include <vector>

#include "runtime/wasm/module.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp {

// Takes ownership of the bytes.
Result<Module> decode(std::vector<uint8_t> bytes);
// Borrows: the caller keeps [data, data+size) alive as long as the module.
Result<Module> decode_borrowed(const uint8_t* data, size_t size);

// Implementation limit on params + locals of one function (as V8 and
// wasmtime); also the spec's "too many locals" for overflowing counts.
inline constexpr uint64_t kMaxFunctionLocals = 50000;

}  // namespace wisp
