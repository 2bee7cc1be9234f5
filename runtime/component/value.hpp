// A component-level value of any type (the C++ API's and the CLI's view of
// a component function's arguments and results), and its text form, WAVE
// (the WebAssembly Value Encoding that wasmtime's `--invoke` reads and
// prints): `"text"`, `42`, `[1, 2]`, `{name: "x", size: 3}`, `some(7)`,
// `err("no")`, `{read, write}`.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/component/abi_layout.hpp"
#include "runtime/component/component.hpp"
#include "runtime/wasm/result.hpp"

namespace wisp::component {

struct Value {
  // What the value's type despecialises to, with the primitives apart.
  enum Kind : uint8_t {
    Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String,
    List, Record, Tuple, Variant, Enum, Option, Result, Flags,
    Own, Borrow,  // a resource handle on the host's side: bits is the resource's representation
  } kind = Bool;
  uint64_t bits = 0;       // bool, integers (sign-extended for signed), char's code point, flags, a handle's rep
  double real = 0;         // f32, f64
  std::string text;        // string; a list<u8>'s bytes (items stay empty: bytes move as one block)
  std::vector<Value> items;  // list and tuple elements, record fields in type order, a case's payload (0 or 1)
  uint32_t index = 0;      // variant, enum case; option 0 none / 1 some; result 0 ok / 1 err
};

// Parses WAVE text as a value of type t (types: the scope's types).
// Errors are values with the character offset.
Result<Value> parse_wave(std::string_view text, const ValType& t, const abi::Types& types);
// Several values separated by commas (a function's arguments).
Result<std::vector<Value>> parse_wave_list(std::string_view text, const std::vector<ValType>& ts,
                                           const abi::Types& types);
// A value of type t as WAVE text.
std::string to_wave(const Value& v, const ValType& t, const abi::Types& types);

}  // namespace wisp::component
