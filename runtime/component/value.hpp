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

// Building values: one short constructor per shape (what host functions
// return and embedders pass).
namespace val {
inline Value scalar(Value::Kind k, uint64_t bits) {
  Value v;
  v.kind = k;
  v.bits = bits;
  return v;
}
inline Value boolean(bool b) { return scalar(Value::Bool, b); }
inline Value s32(int32_t x) { return scalar(Value::S32, uint64_t(int64_t(x))); }
inline Value u32(uint32_t x) { return scalar(Value::U32, x); }
inline Value s64(int64_t x) { return scalar(Value::S64, uint64_t(x)); }
inline Value u64(uint64_t x) { return scalar(Value::U64, x); }
inline Value f64(double x) {
  Value v = scalar(Value::F64, 0);
  v.real = x;
  return v;
}
inline Value own(uint32_t rep) { return scalar(Value::Own, rep); }
inline Value borrow(uint32_t rep) { return scalar(Value::Borrow, rep); }
inline Value flags(uint32_t bits) { return scalar(Value::Flags, bits); }
inline Value string(std::string s) {
  Value v;
  v.kind = Value::String;
  v.text = std::move(s);
  return v;
}
// list<u8>: the bytes in text.
inline Value bytes(std::string b) {
  Value v;
  v.kind = Value::List;
  v.text = std::move(b);
  return v;
}
inline Value with_items(Value::Kind k, uint32_t index, std::vector<Value> items) {
  Value v;
  v.kind = k;
  v.index = index;
  v.items = std::move(items);
  return v;
}
inline Value list(std::vector<Value> items) { return with_items(Value::List, 0, std::move(items)); }
inline Value record(std::vector<Value> fields) { return with_items(Value::Record, 0, std::move(fields)); }
inline Value tuple(std::vector<Value> items) { return with_items(Value::Tuple, 0, std::move(items)); }
inline Value variant(uint32_t index) { return with_items(Value::Variant, index, {}); }
inline Value variant(uint32_t index, Value payload) { return with_items(Value::Variant, index, {std::move(payload)}); }
inline Value enumeration(uint32_t index) { return with_items(Value::Enum, index, {}); }
inline Value none() { return with_items(Value::Option, 0, {}); }
inline Value some(Value v) { return with_items(Value::Option, 1, {std::move(v)}); }
inline Value ok() { return with_items(Value::Result, 0, {}); }
inline Value ok(Value v) { return with_items(Value::Result, 0, {std::move(v)}); }
inline Value err() { return with_items(Value::Result, 1, {}); }
inline Value err(Value v) { return with_items(Value::Result, 1, {std::move(v)}); }
}  // namespace val

// Parses WAVE text as a value of type t (types: the scope's types).
// Errors are values with the character offset.
Result<Value> parse_wave(std::string_view text, const ValType& t, const abi::Types& types);
// Several values separated by commas (a function's arguments).
Result<std::vector<Value>> parse_wave_list(std::string_view text, const std::vector<ValType>& ts,
                                           const abi::Types& types);
// A value of type t as WAVE text.
std::string to_wave(const Value& v, const ValType& t, const abi::Types& types);

}  // namespace wisp::component
