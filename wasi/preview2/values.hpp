// Building the component values WASI 0.2 functions return (value.hpp):
// one short constructor per shape.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/component/value.hpp"
#include "wasi/preview1/abi.hpp"

namespace wisp::wasi::p2 {

using component::Value;
using Values = std::vector<Value>;
using Ret = Result<Values>;

inline Value scalar(Value::Kind k, uint64_t bits) {
  Value v;
  v.kind = k;
  v.bits = bits;
  return v;
}
inline Value u32v(uint64_t x) { return scalar(Value::U32, x); }
inline Value u64v(uint64_t x) { return scalar(Value::U64, x); }
inline Value boolv(bool b) { return scalar(Value::Bool, b); }
inline Value own(uint32_t rep) { return scalar(Value::Own, rep); }
inline Value flags(uint32_t bits) { return scalar(Value::Flags, bits); }
inline Value text(std::string s) {
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
inline Value enumv(uint32_t index) { return with_items(Value::Enum, index, {}); }
inline Value none() { return with_items(Value::Option, 0, {}); }
inline Value some(Value v) { return with_items(Value::Option, 1, {std::move(v)}); }
inline Value ok() { return with_items(Value::Result, 0, {}); }
inline Value ok(Value v) { return with_items(Value::Result, 0, {std::move(v)}); }
inline Value err(Value v) { return with_items(Value::Result, 1, {std::move(v)}); }
inline Ret one(Value v) { return Values{std::move(v)}; }

// wasi:filesystem error-code for a WASI errno (the enum's case index).
uint32_t error_code(Errno e);
// result<_, error-code> err(e) and friends.
inline Value fs_err(Errno e) { return err(enumv(error_code(e))); }
// wasi:clocks datetime from seconds and nanoseconds.
inline Value datetime(uint64_t s, uint32_t ns) { return record({u64v(s), u32v(ns)}); }

}  // namespace wisp::wasi::p2
