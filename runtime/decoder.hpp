// Binary decoder: bytes -> Module. Checks the binary format (malformed
// modules); validation is validator.hpp's job. Function bodies are only
// delimited here; the validator reads them.
#pragma once
#include <cstdint>
#include <vector>

#include "runtime/module.hpp"
#include "runtime/result.hpp"

namespace wisp {

// Takes ownership of the bytes.
Result<Module> decode(std::vector<uint8_t> bytes);
// Borrows: the caller keeps [data, data+size) alive as long as the module.
Result<Module> decode_borrowed(const uint8_t* data, size_t size);

}  // namespace wisp
