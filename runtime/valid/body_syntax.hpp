// Function bodies and constant expressions read for their syntax only:
// the body walker (func_validator.hpp) with its SyntaxOnly hook set, for
// those who need the instructions and their nesting but no types -- the
// decoder, which must delimit constant expressions and report a malformed
// body before a later section's error; the validator, which reports a
// malformation before an invalidity; the printer.
#pragma once
#include <cstdint>
#include <optional>

#include "runtime/wasm/instr_reader.hpp"
#include "runtime/wasm/module.hpp"
#include "runtime/wasm/reader.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp {

// What a syntax walk hands its consumer (a plain pair of callbacks, so that
// a consumer in another layer needs no template of the walker's).
struct InstrSink {
  void* ctx = nullptr;
  // Each run of declared locals, before the first instruction.
  void (*local)(void* ctx, uint32_t count, ValType t) = nullptr;
  // Each instruction, with the number of blocks open around it inside the
  // body or expression (its own `end` or `else` included: the final `end`
  // comes with 0). Returning false stops the walk.
  bool (*instr)(void* ctx, const Instr& in, uint32_t open) = nullptr;
};

// Reads function body func for its syntax, handing each local run and
// instruction to sink (may be null). Returns the first malformation, or
// nullopt; also nullopt when the sink stopped the walk.
std::optional<Error> read_body_syntax(const Module& m, uint32_t func, InstrSink* sink);

// Reads a constant expression from r to its matching `end`. Returns false
// with r.error() set (a malformation) or when the sink stopped it.
bool read_expr_syntax(const Module& m, Reader& r, InstrSink* sink);

// Reads every function body for malformations only (opcodes, LEBs, block
// nesting, size). The validator calls it when a module is invalid, so that
// one also malformed reports the malformation, as the spec's
// decode-then-validate order requires; the decoder when a later section is
// in error, since the reference decoder reads bodies in place.
std::optional<Error> find_malformed_body(const Module& m);

}  // namespace wisp
