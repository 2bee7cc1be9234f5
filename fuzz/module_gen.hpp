// wisp's generator of valid modules: any bytes are read as a recipe (which
// types, imports, tables, memory, globals, segments, functions, and which
// instruction to emit next) and turned into a module that validates under
// Wasm 2.0. Running out of recipe bytes just picks the simplest choice from
// then on, so every input, even the empty one, gives a module.
//
// Function bodies are typed expression trees plus statements with a net
// stack effect of zero: numeric and SIMD operators come from the opcode table
// (every row with a fixed signature), control (block/loop/if with value and
// multi-value types, br/br_if/br_table/return), calls and call_indirect,
// locals, globals, memory, table, bulk-memory and reference instructions.
// Loops and recursion are not bounded: the harness runs with fuel and a
// call-depth limit.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace wisp::fuzz {

std::vector<uint8_t> generate_module(const uint8_t* data, size_t size);

}  // namespace wisp::fuzz
