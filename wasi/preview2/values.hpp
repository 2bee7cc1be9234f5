// Building the component values WASI 0.2 functions return: value.hpp's
// constructors, and the shapes WASI uses often.
#pragma once
#include <time.h>

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

using component::val::bytes;
using component::val::flags;
using component::val::list;
using component::val::none;
using component::val::ok;
using component::val::own;
using component::val::record;
using component::val::scalar;
using component::val::some;
using component::val::tuple;
using component::val::with_items;
inline Value u32v(uint64_t x) { return scalar(Value::U32, x); }
inline Value u64v(uint64_t x) { return scalar(Value::U64, x); }
inline Value boolv(bool b) { return scalar(Value::Bool, b); }
inline Value text(std::string s) { return component::val::string(std::move(s)); }
inline Value enumv(uint32_t index) { return component::val::enumeration(index); }
inline Value err(Value v) { return component::val::err(std::move(v)); }
inline Ret one(Value v) { return Values{std::move(v)}; }

// wasi:filesystem error-code for a WASI errno (the enum's case index).
uint32_t error_code(Errno e);
// result<_, error-code> err(e) and friends.
inline Value fs_err(Errno e) { return err(enumv(error_code(e))); }
// The error (a trap) for a handle rep that is not the resource expected.
inline Error not_a(const char* what, uint64_t rep) {
  return make_error(ErrorKind::Other, "handle rep " + std::to_string(rep) + " is not " + what);
}

// CLOCK_MONOTONIC in nanoseconds (wasi:clocks/monotonic-clock, deadlines).
inline uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

// wasi:clocks datetime from seconds and nanoseconds.
inline Value datetime(uint64_t s, uint32_t ns) { return record({u64v(s), u32v(ns)}); }

}  // namespace wisp::wasi::p2
