// Bytes to a Component (component.hpp). Errors are values: Malformed for
// the syntax, Invalid for an index that refers to nothing, each with the
// byte offset in the file. Embedded core modules are decoded and
// validated by the core front end (valid/), their errors' offsets taken to
// the file's.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "runtime/component/component.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp::component {

// Whether the bytes start like a component (magic, version 0x0d, layer 1)
// rather than a core module.
bool is_component(const uint8_t* data, size_t size);

// Borrows: the caller keeps [data, data+size) alive as long as the result.
Result<std::shared_ptr<const Component>> decode(const uint8_t* data, size_t size);

}  // namespace wisp::component
