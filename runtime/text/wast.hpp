// The .wast script format of the spec test suite, as plain data.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/wasm/result.hpp"

namespace wisp::text {

enum class LaneShape : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };

// A constant: an argument of an action, or (inside Expected) a result.
struct Value {
  enum Type : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };
  Type type = I32;
  uint64_t bits = 0;                 // I32/I64/F32/F64, zero-extended raw bits
  std::array<uint8_t, 16> v128{};    // V128, little endian
  LaneShape shape = LaneShape::I32x4;// V128: how the literal was written
  bool is_null = false;              // refs: ref.null
  uint32_t ref = 0;                  // ExternRef: the N of `ref.extern N`
};

enum class NanPattern : uint8_t { None, Canonical, Arithmetic };

struct Expected {
  Value value;
  NanPattern nan = NanPattern::None;  // F32/F64: nan:canonical / nan:arithmetic
  // V128 with shape F32x4/F64x2: per lane (lanes without a pattern compare
  // exactly against value.v128).
  std::array<NanPattern, 4> lane_nan{};
  // `(ref.func)` or `(ref.extern)` without an index: any non-null reference.
  bool any_ref = false;
};

struct Action {
  enum Kind : uint8_t { Invoke, Get };
  Kind kind = Invoke;
  std::string module;  // `$name` of the target module, empty for the latest
  std::string field;
  std::vector<Value> args;
  size_t line = 0;
};

struct ScriptModule {
  enum Form : uint8_t { Text, Binary, Quote };
  Form form = Text;
  std::string name;            // `$name`, empty if none
  std::vector<uint8_t> bytes;  // Text (encoded) and Binary (concatenated strings)
  std::string quote;           // Quote: the concatenated source, unparsed
  // Text form only: set when the text did not encode; the error says why.
  bool failed = false;
  Error error;
  size_t line = 0;
  // Where the `(module ...)` s-expression sits in the script text.
  size_t source_begin = 0, source_end = 0;
};

struct Command {
  enum Kind : uint8_t {
    Module,
    Register,
    Action,  // a bare invoke/get
    AssertReturn,
    AssertTrap,
    AssertExhaustion,
    AssertInvalid,
    AssertMalformed,
    AssertUnlinkable,
    AssertUninstantiable,
  };
  Kind kind = Module;
  size_t line = 0;
  // Module, AssertInvalid/Malformed/Unlinkable/Uninstantiable, and AssertTrap
  // when has_module.
  ScriptModule module;
  bool has_module = false;
  // Action, AssertReturn, AssertTrap (unless has_module), AssertExhaustion.
  struct Action action;
  std::vector<Expected> expected;  // AssertReturn
  std::string message;             // the expected failure text of assert_*
  // Register: `(register "as" $name?)`
  std::string register_as;
  std::string register_module;
};

struct Script {
  std::vector<Command> commands;
};

Result<Script> parse_wast(std::string_view text);

// The binary of a script module: Text and Binary as stored; Quote parsed now.
Result<std::vector<uint8_t>> module_binary(const ScriptModule& m);

}  // namespace wisp::text
