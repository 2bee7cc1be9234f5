// The validator, rule by rule, in the style of the spec's assert_invalid:
// a module in text and what validating it must say ("ok", or the error
// message; "malformed: ..." for errors of the binary format). Each rule has
// at least one module that passes and one that fails. (The side table it
// emits is checked in side_table_test.cpp.)
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "runtime/valid/decoder.hpp"
#include "runtime/wasm/leb128.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"

namespace wisp {
namespace {

using Bytes = std::vector<uint8_t>;

std::string check_bytes(Bytes b) {
  auto m = decode(std::move(b));
  if (!m.ok()) return "malformed: " + m.error().message;
  Status s = validate(*m);
  if (s.ok()) {
    if (!m->validated) return "ok, but not marked validated";
    return "ok";
  }
  if (m->validated) return "failed, but marked validated";
  return (s.error().kind == ErrorKind::Malformed ? "malformed: " : "") + s.error().message;
}

std::string check(std::string_view wat) {
  auto b = text::parse_wat(wat);
  if (!b.ok()) return "text error: " + b.error().message;
  return check_bytes(std::move(*b));
}

struct Case {
  const char* wat;
  const char* expect;
};

constexpr const char* kOk = "ok";
constexpr const char* kMismatch = "type mismatch";

// A mismatch's message goes on to say what was expected and found (the
// test below); the cases here check the spec's words.
void expect_all(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    std::string got = check(c.wat);
    if (std::string_view(c.expect) == kMismatch && got.rfind("type mismatch: ", 0) == 0) got = kMismatch;
    EXPECT_EQ(got, c.expect) << c.wat;
  }
}

TEST(Validator, MismatchesSayWhatWasExpectedAndFound) {
  EXPECT_EQ(check("(func (result i32) i32.const 1 i64.const 2 i32.add)"), "type mismatch: expected i32, found i64");
  EXPECT_EQ(check("(func (result i32) i32.const 1 i32.add)"), "type mismatch: expected i32, found nothing");
  EXPECT_EQ(check("(func (result i32) f32.const 1)"), "type mismatch: expected i32, found f32");
  EXPECT_EQ(check("(func i32.const 1 i32.const 2)"),
            "type mismatch: 2 values left at the end of the block, beyond its results");
  EXPECT_EQ(check("(func (result i32) (block (result i32) (i64.const 1)))"),
            "type mismatch: expected i32, found i64");
  EXPECT_EQ(check("(func drop)"), "type mismatch: expected a value, found nothing");
}

// ---- instructions -----------------------------------------------------------------------

TEST(Validator, NumericOperandTypes) {
  expect_all({
      {"(func (result i32) i32.const 1 i32.const 2 i32.add)", kOk},
      {"(func (result i32) i32.const 1 i64.const 2 i32.add)", kMismatch},
      {"(func (result i32) i64.const 1 i32.const 2 i32.add)", kMismatch},
      {"(func (result i32) i32.const 1 i32.add)", kMismatch},  // one operand short
      {"(func (result i32) i32.add)", kMismatch},
      {"(func (result i64) i32.const 1 i64.extend_i32_s)", kOk},
      {"(func (result i64) i64.const 1 i64.extend_i32_s)", kMismatch},
      {"(func (result i32) f32.const 1 f32.const 2 f32.lt)", kOk},  // comparisons give i32
      {"(func (result f32) f32.const 1 f32.const 2 f32.lt)", kMismatch},
      {"(func (result f64) f64.const 1 f64.sqrt)", kOk},
      {"(func (result f64) f32.const 1 f64.sqrt)", kMismatch},
      {"(func (result i32) i64.const 1 i32.wrap_i64)", kOk},
      {"(func (result i32) i32.const 1 i32.wrap_i64)", kMismatch},
      {"(func (result i32) i32.const 0 i32.eqz)", kOk},
      {"(func (result i32) i64.const 0 i32.eqz)", kMismatch},
      {"(func (result v128) v128.const i32x4 0 0 0 0 i32x4.neg)", kOk},
      {"(func (result v128) i32.const 0 i32x4.neg)", kMismatch},
      {"(func (result v128) i32.const 0 i32x4.splat)", kOk},
      {"(func (result v128) i64.const 0 i32x4.splat)", kMismatch},
  });
}

TEST(Validator, FunctionResults) {
  expect_all({
      {"(func (result i32) i32.const 1)", kOk},
      {"(func (result i32) i64.const 1)", kMismatch},
      {"(func (result i32))", kMismatch},
      {"(func i32.const 1)", kMismatch},  // a value left over
      {"(func (result i32 i64) i32.const 1 i64.const 2)", kOk},
      {"(func (result i32 i64) i64.const 2 i32.const 1)", kMismatch},
  });
}

TEST(Validator, UnreachableMakesTheStackPolymorphic) {
  expect_all({
      {"(func (result i32) unreachable)", kOk},
      {"(func (result i32) unreachable i32.add)", kOk},
      {"(func (result i32 f64) unreachable)", kOk},
      {"(func (result i32) unreachable i64.const 0 i32.add)", kMismatch},  // known types still count
      {"(func (result i32) unreachable f32.const 0)", kMismatch},
      {"(func unreachable i32.const 0)", kMismatch},  // too many values at the end
      {"(func (result i32) (block (result i32) unreachable))", kOk},
      {"(func (result i32) (block (result f32) unreachable))", kMismatch},
      {"(func (result i32) unreachable drop drop drop i32.const 1)", kOk},
      // Polymorphism ends with the block: its end restores a known stack.
      {"(func (result i32) (block unreachable) i32.add)", kMismatch},
      // br and return are unconditional too.
      {"(func (result i32) (block (br 0)) i32.const 0)", kOk},
      {"(func (result i32) (block (result i32) i32.const 0 br 0 i32.add) )", kOk},
      {"(func (result i32) i32.const 0 return i64.add)", kMismatch},
  });
}

TEST(Validator, BrTableWithPolymorphicOperands) {
  expect_all({
      // Index and values come from the polymorphic stack: any arity-equal
      // labels are fine, even of different types (2.0 rules).
      {"(func (result i32) (block (result i32) unreachable br_table 0 0))", kOk},
      {"(func (block (result f64) (block (result f32) unreachable br_table 0 1 1) drop f64.const 0) drop)",
       kOk},
      // Once a value of known type is on the stack, every label must take it.
      {"(func (param i32) (block (result f64) (block (result f32) f32.const 0 local.get 0 br_table 0 1 1)"
       " drop f64.const 0) drop)",
       kMismatch},
      {"(func (param i32) (block (result i32) (block (result i64) unreachable i32.const 0 br_table 0 1)"
       " drop i32.const 0) drop)",
       kOk},
      // Arity still has to agree.
      {"(func (block (result i32) (block unreachable br_table 0 1)) drop)", kMismatch},
  });
}

TEST(Validator, BlocksWithMultiValueParamsAndResults) {
  expect_all({
      {"(func (result i32) i32.const 1 i32.const 2 (block (param i32 i32) (result i32) i32.add))", kOk},
      {"(func (result i32) i32.const 1 (block (param i32 i32) (result i32) i32.add))", kMismatch},
      {"(func (result i32) i64.const 1 i32.const 2 (block (param i32 i32) (result i32) i32.add))", kMismatch},
      // A block only sees its params, not what is below them.
      {"(func (result i32) i32.const 1 (block (result i32) i32.const 2 i32.add))", kMismatch},
      {"(func (result i32 i32) (block (result i32 i32) i32.const 1 i32.const 2))", kOk},
      {"(func (result i32 i32) (block (result i32 i32) i32.const 1))", kMismatch},
      {"(func (result i32) (block (result i32) i32.const 1 i32.const 2))", kMismatch},
      {"(func (result i32) i32.const 1 (loop (param i32) (result i32)))", kOk},
      {"(func (result i32) f32.const 1 (loop (param i32) (result i32)))", kMismatch},
      {"(func (result i64) i32.const 1 (loop (param i32) (result i64)))", kMismatch},
      {"(type $t (func (param i32) (result i32))) (func (result i32) i32.const 1 (block (type $t)))", kOk},
      {"(func (block (type 7)))", "unknown type 7"},
  });
}

TEST(Validator, IfElse) {
  expect_all({
      {"(func (result i32) i32.const 1 (if (result i32) (then i32.const 2) (else i32.const 3)))", kOk},
      {"(func (result i32) i64.const 1 (if (result i32) (then i32.const 2) (else i32.const 3)))", kMismatch},
      {"(func (result i32) (if (result i32) (then i32.const 2) (else i32.const 3)))", kMismatch},  // no condition
      {"(func (result i32) i32.const 1 (if (result i32) (then i64.const 2) (else i32.const 3)))", kMismatch},
      {"(func (result i32) i32.const 1 (if (result i32) (then i32.const 2) (else i64.const 3)))", kMismatch},
      {"(func (result i32) i32.const 1 (if (result i32) (then i32.const 2 i32.const 2) (else i32.const 3)))",
       kMismatch},
      // Params come from below the condition and are seen by both arms.
      {"(func (result i32) i32.const 5 i32.const 1 (if (param i32) (result i32) (then) (else i32.const 1 i32.sub)))",
       kOk},
      {"(func (result i32) i32.const 1 (if (param i32) (result i32) (then) (else)))", kMismatch},
      {"(func (result i32 i32) i32.const 5 i32.const 6 i32.const 1 (if (param i32 i32) (result i32 i32) (then) (else)))",
       kOk},
  });
}

TEST(Validator, IfWithoutElse) {
  expect_all({
      {"(func (param i32) local.get 0 (if (then nop)))", kOk},
      // Without an else the false arm passes the params through: allowed
      // only if params and results agree.
      {"(func (param i32) (result i32) i32.const 5 local.get 0 (if (param i32) (result i32) (then i32.const 1 i32.add)))",
       kOk},
      {"(func (param i32) (result i32) local.get 0 (if (result i32) (then i32.const 1)))", kMismatch},
      {"(func (param i32) (result i64) i32.const 5 local.get 0 (if (param i32) (result i64) (then i64.extend_i32_u)))",
       kMismatch},
      {"(func (param i32) local.get 0 (if (then i32.const 1)))", kMismatch},
  });
}

TEST(Validator, Labels) {
  expect_all({
      {"(func (block (br 0)))", kOk},
      {"(func (block (block (br 1))))", kOk},
      {"(func br 0)", kOk},  // the function's own label
      {"(func br 1)", "unknown label"},
      {"(func (block (br 2)))", "unknown label"},
      {"(func (block i32.const 0 br_if 2))", "unknown label"},
      {"(func (block i32.const 0 br_table 0 2))", "unknown label"},  // a target
      {"(func (block i32.const 0 br_table 0 0 5))", "unknown label"},  // the default
      {"(func (block (loop (br 1))))", kOk},
  });
}

TEST(Validator, BranchArity) {
  expect_all({
      // br
      {"(func (result i32) (block (result i32) i32.const 1 br 0))", kOk},
      {"(func (result i32) (block (result i32) br 0))", kMismatch},
      {"(func (result i32) (block (result i32) i64.const 1 br 0))", kMismatch},
      {"(func (result i32) (block (result i32) i64.const 7 i32.const 1 br 0))", kOk},  // extra values dropped
      // A loop label takes the loop's params, not its results.
      {"(func (result i32) (loop (result i32) br 0))", kOk},
      {"(func i32.const 0 (loop (param i32) br 0))", kOk},
      {"(func i32.const 0 (loop (param i32) drop br 0))", kMismatch},
      // br_if: pops the condition, keeps the label's values on the stack.
      {"(func (result i32) (block (result i32) i32.const 1 i32.const 0 br_if 0))", kOk},
      {"(func (result i32) (block (result i32) i32.const 1 br_if 0))", kMismatch},
      {"(func (result i32) (block (result i32) i64.const 1 i32.const 0 br_if 0))", kMismatch},
      {"(func (result i32) (block (result i32) i32.const 1 i64.const 0 br_if 0))", kMismatch},
      {"(func (result i32) (block (result i32) i32.const 1 i32.const 0 br_if 0 i32.const 1 i32.add))", kOk},
      // br_table: all labels of the same arity, the index an i32.
      {"(func (param i32) (result i32) (block (result i32) (block (result i32) i32.const 1 local.get 0 br_table 0 1)))",
       kOk},
      {"(func (param i32) (result i32) (block (result i32) (block i32.const 1 local.get 0 br_table 0 1) i32.const 0))",
       kMismatch},
      {"(func (param i32) (result i32) (block (result i32) (block (result i64) i32.const 1 local.get 0 br_table 0 1)"
       " drop i32.const 0))",
       kMismatch},
      {"(func (result i32) (block (result i32) i32.const 1 i64.const 0 br_table 0 0))", kMismatch},
  });
}

TEST(Validator, Return) {
  expect_all({
      {"(func (result i32) i32.const 1 return)", kOk},
      {"(func (result i32) (block (block i32.const 1 return)) i32.const 0)", kOk},
      // The blocks end with an empty stack whatever happened inside.
      {"(func (result i32) (block (block i32.const 1 return)))", kMismatch},
      {"(func (result i32) i32.const 1 return i32.add)", kOk},  // polymorphic after return
      {"(func (result i32) return)", kMismatch},
      {"(func (result i32) i64.const 1 return)", kMismatch},
      {"(func (result i32 i32) i32.const 1 return)", kMismatch},
      {"(func return)", kOk},
  });
}

TEST(Validator, Call) {
  expect_all({
      {"(func (param i32)) (func i32.const 0 call 0)", kOk},
      {"(func (param i32)) (func i64.const 0 call 0)", kMismatch},
      {"(func (param i32)) (func call 0)", kMismatch},
      {"(func (result f32) f32.const 0) (func (result f32) call 0)", kOk},
      {"(func (result f32) f32.const 0) (func (result i32) call 0)", kMismatch},
      {"(func call 5)", "unknown function 5"},
      {"(import \"m\" \"f\" (func (param i64))) (func i64.const 1 call 0)", kOk},
  });
}

TEST(Validator, CallIndirect) {
  expect_all({
      {"(type (func)) (table 1 funcref) (func i32.const 0 call_indirect (type 0))", kOk},
      {"(type (func)) (func i32.const 0 call_indirect (type 0))", "unknown table 0"},
      {"(type (func)) (table 1 funcref) (func i32.const 0 call_indirect 3 (type 0))", "unknown table 3"},
      {"(type (func)) (table 1 funcref) (func i32.const 0 call_indirect (type 9))", "unknown type 9"},
      {"(type (func)) (table 1 externref) (func i32.const 0 call_indirect (type 0))", kMismatch},
      {"(type (func)) (table 1 funcref) (table 1 externref) (func i32.const 0 call_indirect 1 (type 0))",
       kMismatch},
      {"(type (func)) (table 1 externref) (table 1 funcref) (func i32.const 0 call_indirect 1 (type 0))", kOk},
      {"(type (func)) (table 1 funcref) (func call_indirect (type 0))", kMismatch},  // no index
      {"(type (func)) (table 1 funcref) (func i64.const 0 call_indirect (type 0))", kMismatch},
      {"(type (func (param f64) (result i32))) (table 1 funcref)"
       " (func (result i32) f64.const 1 i32.const 0 call_indirect (type 0))",
       kOk},
      {"(type (func (param f64) (result i32))) (table 1 funcref)"
       " (func (result i32) f32.const 1 i32.const 0 call_indirect (type 0))",
       kMismatch},
  });
}

TEST(Validator, SelectUntyped) {
  expect_all({
      {"(func (result i32) i32.const 1 i32.const 2 i32.const 0 select)", kOk},
      {"(func (result f64) f64.const 1 f64.const 2 i32.const 0 select)", kOk},
      {"(func (result v128) v128.const i64x2 1 2 v128.const i64x2 3 4 i32.const 0 select)", kOk},
      {"(func (result i32) i32.const 1 i64.const 2 i32.const 0 select)", kMismatch},
      {"(func (result i32) i32.const 1 i32.const 2 i64.const 0 select)", kMismatch},
      {"(func (result i32) i32.const 1 i32.const 0 select)", kMismatch},
      // Untyped select takes no references.
      {"(func (result funcref) ref.null func ref.null func i32.const 0 select)", kMismatch},
      {"(func (result externref) ref.null extern ref.null extern i32.const 0 select)", kMismatch},
      // With unknown operands the result is the known one.
      {"(func (result i32) unreachable select)", kOk},
      {"(func (result i64) unreachable i64.const 0 i32.const 0 select)", kOk},
      {"(func (result i32) unreachable i64.const 0 i32.const 0 select)", kMismatch},
  });
}

TEST(Validator, SelectTyped) {
  expect_all({
      {"(func (result funcref) ref.null func ref.null func i32.const 0 select (result funcref))", kOk},
      {"(func (result externref) ref.null extern ref.null extern i32.const 0 select (result externref))", kOk},
      {"(func (result i32) i32.const 1 i32.const 2 i32.const 0 select (result i32))", kOk},
      {"(func (result i64) i32.const 1 i32.const 2 i32.const 0 select (result i64))", kMismatch},
      {"(func (result funcref) ref.null extern ref.null func i32.const 0 select (result funcref))", kMismatch},
      {"(func (result i32) i32.const 1 i32.const 2 i32.const 0 select (result i32 i32))", "invalid result arity"},
  });
  // select (result) with zero types, which the text format cannot say.
  // Body: i32.const 1, i32.const 2, i32.const 0, select_t vec(), drop, end.
  Bytes b = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
             0x03, 0x02, 0x01, 0x00, 0x0A, 0x0D, 0x01, 0x0B, 0x00, 0x41, 0x01, 0x41, 0x02,
             0x41, 0x00, 0x1C, 0x00, 0x1A, 0x0B};
  EXPECT_EQ(check_bytes(b), "invalid result arity");
  b[30] = 0x01;  // vec(i32)... but the type byte is then `drop` (0x1A): no value type
  EXPECT_EQ(check_bytes(b), "malformed: malformed value type");
}

TEST(Validator, Locals) {
  expect_all({
      {"(func (param i32) (result i32) local.get 0)", kOk},
      {"(func (result i64) (local i64) local.get 0)", kOk},
      {"(func (param i32) (result f32) (local f32) local.get 1)", kOk},
      {"(func (result i32) local.get 0)", "unknown local 0"},
      {"(func (param i32) (local i64) local.get 2 drop)", "unknown local 2"},
      {"(func (local i64) i64.const 0 local.set 0)", kOk},
      {"(func (local i64) i32.const 0 local.set 0)", kMismatch},
      {"(func local.set 0)", "unknown local 0"},
      {"(func (result f64) (local f64) f64.const 0 local.tee 0)", kOk},
      {"(func (result f64) (local f64) f32.const 0 local.tee 0)", kMismatch},
      {"(func (result f32) (local f64) f64.const 0 local.tee 0)", kMismatch},
      {"(func (result externref) (local externref) local.get 0)", kOk},
  });
}

TEST(Validator, TooManyLocals) {
  // One run of 50001 i32 locals: past the implementation limit (the
  // decoder's limit on params + locals).
  auto body_with_locals = [](uint32_t count) {
    Bytes locals = {0x01};
    write_uleb(locals, count);
    locals.push_back(0x7F);
    locals.push_back(0x0B);
    Bytes b = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
               0x03, 0x02, 0x01, 0x00, 0x0A};
    Bytes code = {0x01};
    write_uleb(code, locals.size());
    code.insert(code.end(), locals.begin(), locals.end());
    write_uleb(b, code.size());
    b.insert(b.end(), code.begin(), code.end());
    return b;
  };
  EXPECT_EQ(check_bytes(body_with_locals(50000)), kOk);
  EXPECT_EQ(check_bytes(body_with_locals(50001)), "malformed: too many locals");
}

TEST(Validator, Globals) {
  expect_all({
      {"(global i32 (i32.const 0)) (func (result i32) global.get 0)", kOk},
      {"(global i64 (i64.const 0)) (func (result i32) global.get 0)", kMismatch},
      {"(func (result i32) global.get 0)", "unknown global 0"},
      {"(global (mut i32) (i32.const 0)) (func i32.const 1 global.set 0)", kOk},
      {"(global i32 (i32.const 0)) (func i32.const 1 global.set 0)", "global is immutable"},
      {"(import \"m\" \"g\" (global i32)) (func i32.const 1 global.set 0)", "global is immutable"},
      {"(import \"m\" \"g\" (global (mut i32))) (func i32.const 1 global.set 0)", kOk},
      {"(global (mut i32) (i32.const 0)) (func f32.const 1 global.set 0)", kMismatch},
      {"(func i32.const 1 global.set 3)", "unknown global 3"},
  });
}

TEST(Validator, MemoryInstructions) {
  expect_all({
      {"(memory 1) (func (result i32) i32.const 0 i32.load)", kOk},
      {"(func (result i32) i32.const 0 i32.load)", "unknown memory 0"},
      {"(func i32.const 0 i32.const 0 i32.store)", "unknown memory 0"},
      {"(memory 1) (func (result i32) i64.const 0 i32.load)", kMismatch},
      {"(memory 1) (func i32.const 0 i64.const 0 i32.store)", kMismatch},
      {"(memory 1) (func i32.const 0 i64.const 0 i64.store32)", kOk},
      {"(import \"m\" \"mem\" (memory 1)) (func (result i64) i32.const 0 i64.load)", kOk},
      // Alignment: at most the natural alignment of the access.
      {"(memory 1) (func (result i32) i32.const 0 i32.load align=4)", kOk},
      {"(memory 1) (func (result i32) i32.const 0 i32.load align=1)", kOk},
      {"(memory 1) (func (result i32) i32.const 0 i32.load align=8)", "alignment must not be larger than natural"},
      {"(memory 1) (func (result i64) i32.const 0 i64.load8_u align=1)", kOk},
      {"(memory 1) (func (result i64) i32.const 0 i64.load8_u align=2)", "alignment must not be larger than natural"},
      {"(memory 1) (func i32.const 0 i32.const 0 i32.store16 align=2)", kOk},
      {"(memory 1) (func i32.const 0 i32.const 0 i32.store16 align=4)", "alignment must not be larger than natural"},
      {"(memory 1) (func (result v128) i32.const 0 v128.load align=16)", kOk},
      {"(memory 1) (func (result v128) i32.const 0 v128.load align=32)", "alignment must not be larger than natural"},
      {"(memory 1) (func (result v128) i32.const 0 v128.load32_splat align=8)",
       "alignment must not be larger than natural"},
      // memory.size / memory.grow
      {"(memory 1) (func (result i32) memory.size)", kOk},
      {"(func (result i32) memory.size)", "unknown memory 0"},
      {"(memory 1) (func (result i32) i32.const 1 memory.grow)", kOk},
      {"(memory 1) (func (result i32) i64.const 1 memory.grow)", kMismatch},
      {"(func (result i32) i32.const 1 memory.grow)", "unknown memory 0"},
  });
}

TEST(Validator, LaneIndices) {
  expect_all({
      {"(func (result i32) v128.const i32x4 0 0 0 0 i8x16.extract_lane_s 15)", kOk},
      {"(func (result i32) v128.const i32x4 0 0 0 0 i8x16.extract_lane_s 16)", "invalid lane index"},
      {"(func (result i32) v128.const i32x4 0 0 0 0 i16x8.extract_lane_u 7)", kOk},
      {"(func (result i32) v128.const i32x4 0 0 0 0 i16x8.extract_lane_u 8)", "invalid lane index"},
      {"(func (result v128) v128.const i32x4 0 0 0 0 f64.const 0 f64x2.replace_lane 1)", kOk},
      {"(func (result v128) v128.const i32x4 0 0 0 0 f64.const 0 f64x2.replace_lane 2)", "invalid lane index"},
      {"(memory 1) (func (result v128) i32.const 0 v128.const i32x4 0 0 0 0 v128.load32_lane 3)", kOk},
      {"(memory 1) (func (result v128) i32.const 0 v128.const i32x4 0 0 0 0 v128.load32_lane 4)",
       "invalid lane index"},
      {"(memory 1) (func i32.const 0 v128.const i32x4 0 0 0 0 v128.store8_lane 16)", "invalid lane index"},
      {"(func (result v128) v128.const i32x4 0 0 0 0 v128.const i32x4 0 0 0 0"
       " i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31)",
       kOk},
      {"(func (result v128) v128.const i32x4 0 0 0 0 v128.const i32x4 0 0 0 0"
       " i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32)",
       "invalid lane index"},
  });
}

// Removes every section with this id from a binary module.
Bytes without_section(const Bytes& b, uint8_t id) {
  Bytes out(b.begin(), b.begin() + 8);
  size_t i = 8;
  while (i < b.size()) {
    const uint8_t* p = b.data() + i + 1;
    uint32_t size{};
    EXPECT_EQ(read_uleb<32>(p, b.data() + b.size(), size), LebStatus::Ok);
    size_t end = size_t(p - b.data()) + size;
    if (b[i] != id) out.insert(out.end(), b.begin() + long(i), b.begin() + long(end));
    i = end;
  }
  return out;
}

TEST(Validator, BulkMemory) {
  expect_all({
      {"(memory 1) (data \"x\") (func i32.const 0 i32.const 0 i32.const 1 memory.init 0)", kOk},
      {"(memory 1) (data \"x\") (func i32.const 0 i32.const 0 i32.const 1 memory.init 1)", "unknown data segment 1"},
      {"(data \"x\") (func i32.const 0 i32.const 0 i32.const 1 memory.init 0)", "unknown memory 0"},
      {"(memory 1) (data \"x\") (func i32.const 0 i32.const 0 i64.const 1 memory.init 0)", kMismatch},
      {"(memory 1) (data \"x\") (func data.drop 0)", kOk},
      {"(memory 1) (data \"x\") (func data.drop 1)", "unknown data segment 1"},
      {"(memory 1) (func i32.const 0 i32.const 0 i32.const 0 memory.copy)", kOk},
      {"(func i32.const 0 i32.const 0 i32.const 0 memory.copy)", "unknown memory 0"},
      {"(memory 1) (func i32.const 0 i32.const 0 f32.const 0 memory.copy)", kMismatch},
      {"(memory 1) (func i32.const 0 i32.const 0 i32.const 0 memory.fill)", kOk},
      {"(func i32.const 0 i32.const 0 i32.const 0 memory.fill)", "unknown memory 0"},
      {"(memory 1) (func i32.const 0 i64.const 0 i32.const 0 memory.fill)", kMismatch},
  });
  // memory.init and data.drop need the data count section: without it the
  // binary is malformed, even though the rest would validate.
  for (const char* src : {"(memory 1) (data \"x\") (func i32.const 0 i32.const 0 i32.const 1 memory.init 0)",
                          "(memory 1) (data \"x\") (func data.drop 0)"}) {
    auto b = text::parse_wat(src);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(check_bytes(*b), kOk) << src;
    Bytes stripped = without_section(*b, 12);
    ASSERT_LT(stripped.size(), b->size());
    EXPECT_EQ(check_bytes(stripped), "malformed: data count section required") << src;
  }
}

TEST(Validator, TableInstructions) {
  expect_all({
      {"(table 1 funcref) (func (result funcref) i32.const 0 table.get 0)", kOk},
      {"(func (result funcref) i32.const 0 table.get 0)", "unknown table 0"},
      {"(table 1 externref) (func (result funcref) i32.const 0 table.get 0)", kMismatch},
      {"(table 1 funcref) (func i32.const 0 ref.null func table.set 0)", kOk},
      {"(table 1 funcref) (func i32.const 0 ref.null extern table.set 0)", kMismatch},
      {"(table 1 funcref) (func i32.const 0 ref.null func table.set 1)", "unknown table 1"},
      {"(table 1 externref) (func (result i32) ref.null extern i32.const 1 table.grow 0)", kOk},
      {"(table 1 externref) (func (result i32) ref.null func i32.const 1 table.grow 0)", kMismatch},
      {"(table 1 funcref) (func (result i32) table.size 0)", kOk},
      {"(func (result i32) table.size 0)", "unknown table 0"},
      {"(table 1 funcref) (func i32.const 0 ref.null func i32.const 1 table.fill 0)", kOk},
      {"(table 1 funcref) (func i32.const 0 ref.null extern i32.const 1 table.fill 0)", kMismatch},
      // table.copy: element types must agree.
      {"(table 1 funcref) (table 1 funcref) (func i32.const 0 i32.const 0 i32.const 0 table.copy 0 1)", kOk},
      {"(table 1 funcref) (table 1 externref) (func i32.const 0 i32.const 0 i32.const 0 table.copy 0 1)", kMismatch},
      {"(table 1 funcref) (func i32.const 0 i32.const 0 i32.const 0 table.copy 0 2)", "unknown table 2"},
      // table.init: the segment's type must match the table's.
      {"(table 1 funcref) (elem funcref) (func i32.const 0 i32.const 0 i32.const 0 table.init 0 0)", kOk},
      {"(table 1 funcref) (elem externref) (func i32.const 0 i32.const 0 i32.const 0 table.init 0 0)", kMismatch},
      {"(table 1 externref) (elem externref) (func i32.const 0 i32.const 0 i32.const 0 table.init 0 0)", kOk},
      {"(table 1 funcref) (func i32.const 0 i32.const 0 i32.const 0 table.init 0 3)", "unknown elem segment 3"},
      {"(elem funcref) (func i32.const 0 i32.const 0 i32.const 0 table.init 0 0)", "unknown table 0"},
      {"(elem funcref) (func elem.drop 0)", kOk},
      {"(func elem.drop 0)", "unknown elem segment 0"},
  });
}

TEST(Validator, References) {
  expect_all({
      {"(func (result funcref) ref.null func)", kOk},
      {"(func (result externref) ref.null func)", kMismatch},
      {"(func (result i32) ref.null extern ref.is_null)", kOk},
      {"(func (result i32) i32.const 0 ref.is_null)", kMismatch},
      {"(func (result i32) unreachable ref.is_null)", kOk},
      // ref.func needs the function declared: in an element segment, an
      // export, or a global initializer.
      {"(func $f) (func (result funcref) ref.func $f)", "undeclared function reference"},
      {"(func $f) (elem declare func $f) (func (result funcref) ref.func $f)", kOk},
      {"(func $f (export \"f\")) (func (result funcref) ref.func $f)", kOk},
      {"(func $f) (global funcref (ref.func $f)) (func (result funcref) ref.func $f)", kOk},
      {"(func $f) (table 1 funcref) (elem (i32.const 0) $f) (func (result funcref) ref.func $f)", kOk},
      {"(func $f) (func $g) (elem declare func $g) (func (result funcref) ref.func $f)",
       "undeclared function reference"},
      {"(func (result funcref) ref.func 9)", "unknown function 9"},
  });
}

// ---- module-level rules -------------------------------------------------------------------

TEST(Validator, ConstantExpressions) {
  expect_all({
      {"(global i32 (i32.const 1))", kOk},
      {"(global i32 (i32.add (i32.const 1) (i32.const 2)))", "constant expression required"},
      {"(global i32 (nop) (i32.const 1))", "constant expression required"},
      {"(global i32 (i64.const 1))", kMismatch},
      {"(global i32)", kMismatch},  // empty
      {"(global i32 (i32.const 1) (i32.const 2))", kMismatch},
      {"(global funcref (ref.null func))", kOk},
      {"(global externref (ref.null func))", kMismatch},
      {"(global v128 (v128.const i64x2 1 2))", kOk},
      // global.get: only of immutable imported globals (2.0).
      {"(import \"m\" \"g\" (global i32)) (global i32 (global.get 0))", kOk},
      {"(import \"m\" \"g\" (global (mut i32))) (global i32 (global.get 0))", "constant expression required"},
      {"(global i32 (i32.const 0)) (global i32 (global.get 0))", "unknown global 0"},
      {"(import \"m\" \"g\" (global i64)) (global i32 (global.get 0))", kMismatch},
      // Offsets of active segments are constant expressions of type i32.
      {"(memory 1) (data (i32.const 0) \"\")", kOk},
      {"(memory 1) (data (i64.const 0) \"\")", kMismatch},
      {"(memory 1) (data (offset (i32.const 0) (i32.const 1) (i32.add)) \"\")", "constant expression required"},
      {"(import \"m\" \"g\" (global i32)) (memory 1) (data (global.get 0) \"\")", kOk},
      {"(import \"m\" \"g\" (global (mut i32))) (memory 1) (data (global.get 0) \"\")",
       "constant expression required"},
      {"(table 1 funcref) (func $f) (elem (i32.const 0) $f)", kOk},
      {"(table 1 funcref) (func $f) (elem (f32.const 0) $f)", kMismatch},
      {"(table 1 funcref) (func $f) (elem (offset (nop) (i32.const 0)) $f)", "constant expression required"},
      // Element expressions.
      {"(func $f) (elem funcref (ref.func $f) (ref.null func))", kOk},
      {"(func $f) (elem funcref (ref.null extern))", kMismatch},
      {"(elem funcref (i32.const 0))", kMismatch},
      {"(elem funcref (ref.func 3))", "unknown function 3"},
  });
}

TEST(Validator, Limits) {
  expect_all({
      {"(memory 1 2)", kOk},
      {"(memory 2 2)", kOk},
      {"(memory 2 1)", "size minimum must not be greater than maximum"},
      {"(table 2 1 funcref)", "size minimum must not be greater than maximum"},
      {"(table 0 0xFFFFFFFF funcref)", kOk},
      {"(memory 65536)", kOk},
      {"(memory 0 65536)", kOk},
      {"(memory 65537)", "memory size must be at most 65536 pages (4GiB)"},
      {"(memory 0 65537)", "memory size must be at most 65536 pages (4GiB)"},
      {"(memory 0xFFFFFFFF)", "memory size must be at most 65536 pages (4GiB)"},
      {"(import \"m\" \"mem\" (memory 2 1))", "size minimum must not be greater than maximum"},
      {"(import \"m\" \"mem\" (memory 65537))", "memory size must be at most 65536 pages (4GiB)"},
  });
}

TEST(Validator, MultipleMemories) {
  expect_all({
      {"(memory 1)", kOk},
      {"(memory 1) (memory 1)", "multiple memories"},
      {"(import \"m\" \"mem\" (memory 1)) (memory 1)", "multiple memories"},
      {"(import \"m\" \"a\" (memory 1)) (import \"m\" \"b\" (memory 1))", "multiple memories"},
      // Several tables are fine in 2.0.
      {"(table 1 funcref) (table 1 externref)", kOk},
  });
}

TEST(Validator, StartFunction) {
  expect_all({
      {"(func $s) (start $s)", kOk},
      {"(import \"m\" \"f\" (func)) (start 0)", kOk},
      {"(func $s (param i32)) (start $s)", "start function"},
      {"(func $s (result i32) i32.const 0) (start $s)", "start function"},
      {"(func) (start 5)", "unknown function 5"},
  });
}

TEST(Validator, Exports) {
  expect_all({
      {"(func) (export \"a\" (func 0)) (export \"b\" (func 0))", kOk},
      {"(func) (export \"a\" (func 0)) (export \"a\" (func 0))", "duplicate export name"},
      {"(func) (memory 1) (export \"a\" (func 0)) (export \"a\" (memory 0))", "duplicate export name"},
      {"(func) (export \"\" (func 0)) (export \"\" (func 0))", "duplicate export name"},
      {"(export \"f\" (func 0))", "unknown function 0"},
      {"(export \"t\" (table 0))", "unknown table 0"},
      {"(export \"m\" (memory 0))", "unknown memory 0"},
      {"(export \"g\" (global 0))", "unknown global 0"},
      {"(global i32 (i32.const 0)) (export \"g\" (global 1))", "unknown global 1"},
      {"(import \"m\" \"g\" (global i32)) (export \"g\" (global 0))", kOk},
  });
}

// Beyond 16 exports the names go through a hash set instead of pairwise
// comparison: the same answers, including names that differ only late or
// only in length, and a duplicate at the very end.
TEST(Validator, ManyExports) {
  auto module = [](int n, const std::string& extra) {
    std::string m = "(func)";
    for (int i = 0; i < n; ++i) m += " (export \"name_" + std::to_string(i) + "\" (func 0))";
    return m + extra;
  };
  const std::pair<std::string, const char*> cases[] = {
      {module(40, ""), kOk},
      {module(40, " (export \"name_\" (func 0)) (export \"name_00\" (func 0))"), kOk},
      {module(40, " (export \"name_39\" (func 0))"), "duplicate export name"},
      {module(40, " (export \"name_0\" (func 0))"), "duplicate export name"},
      {module(17, " (export \"\" (func 0)) (export \"\" (func 0))"), "duplicate export name"},
      {module(300, ""), kOk},
  };
  for (const auto& [wat, expect] : cases) EXPECT_EQ(check(wat), expect) << wat;
}

TEST(Validator, SegmentIndices) {
  expect_all({
      {"(table 1 funcref) (func) (elem (i32.const 0) func 0)", kOk},
      {"(table 1 funcref) (func) (elem (i32.const 0) func 3)", "unknown function 3"},
      {"(func) (elem (i32.const 0) func 0)", "unknown table 0"},
      {"(table 1 funcref) (func) (elem (table 1) (i32.const 0) func 0)", "unknown table 1"},
      {"(table 1 externref) (func) (elem (i32.const 0) func 0)", kMismatch},
      {"(func) (elem func 7)", "unknown function 7"},
      {"(func) (elem declare func 7)", "unknown function 7"},
      {"(memory 1) (data (i32.const 0) \"x\")", kOk},
      {"(data (i32.const 0) \"x\")", "unknown memory 0"},
      {"(data \"x\")", kOk},  // passive: no memory needed
  });
}

TEST(Validator, FunctionTypeIndices) {
  // Function section referring to type 3 of 1.
  Bytes b = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
             0x03, 0x02, 0x01, 0x03, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B};
  EXPECT_EQ(check_bytes(b), "unknown type 3");
  b[17] = 0x00;
  EXPECT_EQ(check_bytes(b), kOk);
  expect_all({
      {"(import \"m\" \"f\" (func (type 4)))", "unknown type 4"},
  });
}

TEST(Validator, MalformedBodyWinsOverInvalidModule) {
  // An invalid export (unknown function 9) and an illegal opcode (0x06) in
  // a body: decoding comes first in the spec, so the opcode is reported.
  Bytes b = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
             0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x09,
             0x0A, 0x05, 0x01, 0x03, 0x00, 0x06, 0x0B};
  EXPECT_EQ(check_bytes(b), "malformed: illegal opcode: try, not supported yet (legacy exception handling)");
  b[30] = 0x01;  // nop
  EXPECT_EQ(check_bytes(b), "unknown function 9");
}

// A module of one type [] -> [], one global section payload (may be
// empty) and functions with the given bodies (locals vector included).
Bytes module_with(const std::vector<Bytes>& bodies, const Bytes& globals = {}) {
  Bytes b = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00};
  auto section = [&](uint8_t id, const Bytes& payload) {
    b.push_back(id);
    write_uleb(b, payload.size());
    b.insert(b.end(), payload.begin(), payload.end());
  };
  Bytes funcs;
  write_uleb(funcs, bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) funcs.push_back(0x00);
  section(3, funcs);
  if (!globals.empty()) section(6, globals);
  Bytes code;
  write_uleb(code, bodies.size());
  for (const Bytes& body : bodies) {
    write_uleb(code, body.size());
    code.insert(code.end(), body.begin(), body.end());
  }
  section(10, code);
  return b;
}

TEST(Validator, MisplacedElseIsMalformed) {
  // The binary format only has `else` directly inside an `if` without one:
  // the reference decoder reads a block's instructions up to `else` or
  // `end` and then wants `end` ("END opcode expected").
  const char* kMsg = "malformed: END opcode expected";
  EXPECT_EQ(check_bytes(module_with({{0x00, 0x41, 0x01, 0x04, 0x40, 0x05, 0x0B, 0x0B}})), kOk);
  EXPECT_EQ(check_bytes(module_with({{0x00, 0x02, 0x40, 0x05, 0x0B, 0x0B}})), kMsg);  // block else
  EXPECT_EQ(check_bytes(module_with({{0x00, 0x03, 0x40, 0x05, 0x0B, 0x0B}})), kMsg);  // loop else
  EXPECT_EQ(check_bytes(module_with({{0x00, 0x05, 0x0B}})), kMsg);                    // in the function
  EXPECT_EQ(check_bytes(module_with({{0x00, 0x41, 0x01, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B}})), kMsg);
  // if (block else end) end: the else belongs to the block, not the if.
  EXPECT_EQ(check_bytes(module_with({{0x00, 0x41, 0x01, 0x04, 0x40, 0x02, 0x40, 0x05, 0x0B, 0x0B, 0x0B}})), kMsg);
  // Malformed wins over invalid, whichever function comes first.
  Bytes invalid = {0x00, 0x41, 0x00, 0x0B};  // leaves an i32 behind
  EXPECT_EQ(check_bytes(module_with({invalid})), "type mismatch: 1 value left at the end of the block, beyond its results");
  EXPECT_EQ(check_bytes(module_with({invalid, {0x00, 0x05, 0x0B}})), kMsg);
  EXPECT_EQ(check_bytes(module_with({invalid, {0x00, 0x02, 0x40, 0x05, 0x0B, 0x0B}})), kMsg);
  // In a constant expression too.
  EXPECT_EQ(check_bytes(module_with({}, {0x01, 0x7F, 0x00, 0x41, 0x00, 0x0B})), kOk);
  EXPECT_EQ(check_bytes(module_with({}, {0x01, 0x7F, 0x00, 0x41, 0x00, 0x05, 0x0B})), kMsg);
  EXPECT_EQ(check_bytes(module_with({}, {0x01, 0x7F, 0x00, 0x02, 0x40, 0x05, 0x0B, 0x41, 0x00, 0x0B})), kMsg);
  // A well-formed if/else there is merely not constant.
  EXPECT_EQ(check_bytes(module_with({}, {0x01, 0x7F, 0x00, 0x41, 0x00, 0x04, 0x40, 0x05, 0x0B, 0x41, 0x00, 0x0B})),
            "constant expression required");
}

TEST(Validator, ErrorsNameTheFunctionAndOffset) {
  auto bytes = text::parse_wat("(func) (func (result i32) i32.const 0 i64.const 0 i32.add)");
  ASSERT_TRUE(bytes.ok());
  auto m = decode(*bytes);
  ASSERT_TRUE(m.ok());
  Status s = validate(*m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(s.error().func, 1);
  // At the i32.add: the code entry's first instruction plus 4 bytes.
  uint32_t body = m->funcs[1].body_offset;
  EXPECT_EQ(s.error().offset, body + 1 + 2 + 2);
  EXPECT_EQ(m->bytes[s.error().offset], 0x6A);
  EXPECT_TRUE(m->side_table.empty());
}

TEST(SideTable, DeepNestingIsIterative) {
  // 100000 nested ifs: `i32.const 1 if` each (4 bytes), then 100000 ends
  // and the function's. Recursion per level would exhaust the native stack.
  constexpr int64_t n = 100000;
  Bytes body = {0x00};
  for (int64_t k = 0; k < n; ++k) body.insert(body.end(), {0x41, 0x01, 0x04, 0x40});
  body.insert(body.end(), size_t(n) + 1, 0x0B);
  auto m = decode(module_with({body}));
  ASSERT_TRUE(m.ok()) << m.error().message;
  Status s = validate(*m);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(m->side_table.size(), size_t(n));
  // If k sits at 4k+2; its end is the (n-1-k)-th end byte, at 4n+n-1-k,
  // so it jumps to 5n-k when false; all entries precede all ends.
  for (int64_t k : {int64_t(0), int64_t(1), n / 2, n - 1}) {
    SCOPED_TRACE(k);
    const SideEntry& e = m->side_table[size_t(k)];
    EXPECT_EQ(e.pc_delta, 5 * n - k - (4 * k + 2));
    EXPECT_EQ(e.stp_delta, n - k);
    EXPECT_EQ(e.keep, 0u);
    EXPECT_EQ(e.drop, 0u);
  }
  EXPECT_EQ(m->funcs[0].max_height, 1u);
}

}  // namespace
}  // namespace wisp
