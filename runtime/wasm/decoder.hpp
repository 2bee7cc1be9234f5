// Binary decoder: bytes -> Module. Checks the binary format (malformed
// modules); validation is validator.hpp's job. Function bodies are only
// delimited here; the validator reads them.
#pragma once
#include <cstdint>
#include <optional>
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

// Reads every function body for encoding errors only (opcodes, LEBs,
// block nesting, size). The validator calls it when a module is invalid, so
// that one also malformed reports the malformation, as the spec's
// decode-then-validate order requires.
std::optional<Error> find_malformed_body(const Module& m);

// What the reference decoder reports for an expression or body cut off by
// its declared end at `from`: it reads on into the following bytes. `open`
// has one entry per open level, outermost (the body itself) first, true for
// an `if` still in its then-arm. nullopt if the input ends first.
std::optional<Error> overrun_error(const Module& m, const uint8_t* from, std::vector<bool> open);

}  // namespace wisp
