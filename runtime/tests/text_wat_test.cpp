// The WAT parser and binary writer, case by case: a module in text and the
// bytes it must encode to (checked against wabt's wat2wasm where wabt agrees
// with the spec).
#include <gtest/gtest.h>

#include "runtime/tests/text_test_util.hpp"

namespace wisp::text {
namespace {

using testing::code;
using testing::section;
using testing::wat;
using testing::wat_error;

constexpr const char* kHeader = "00 61 73 6d 01 00 00 00";

TEST(TextWat, EmptyModule) {
  EXPECT_EQ(wat("(module)"), kHeader);
  EXPECT_EQ(wat("(module $m)"), kHeader);
  EXPECT_EQ(wat(""), kHeader);  // a bare (empty) sequence of fields
}

TEST(TextWat, BareFieldsAreAModule) {
  EXPECT_EQ(wat("(func)"), wat("(module (func))"));
  EXPECT_EQ(wat("(memory 1) (func (export \"f\"))"), wat("(module (memory 1) (func (export \"f\")))"));
}

TEST(TextWat, FoldedIfWithThenElse) {
  EXPECT_EQ(code("(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3))))"),
            "41 01 04 7f 41 02 05 41 03 0b 0b");
}

TEST(TextWat, FoldedIfTakesSeveralConditionExprs) {
  EXPECT_EQ(code("(func (if (i32.const 1) (i32.eqz) (then) (else)))"), "41 01 45 04 40 0b 0b");
}

TEST(TextWat, EmptyElseArmIsDropped) {  // as wabt does; the meaning is the same
  EXPECT_EQ(code("(func (i32.const 0) (if (then) (else)))"), "41 00 04 40 0b 0b");
  EXPECT_EQ(code("(func (i32.const 0) if else end)"), "41 00 04 40 0b 0b");
}

TEST(TextWat, PlainIfWithRepeatedLabels) {
  EXPECT_EQ(code("(func (i32.const 1) if $l (result i32) i32.const 2 else $l i32.const 3 end $l drop)"),
            "41 01 04 7f 41 02 05 41 03 0b 1a 0b");
}

TEST(TextWat, NamedLocalsAndParams) {
  const char* src =
      "(module (func $f (param $x i32) (local $y i64)"
      "  (local.set $y (i64.extend_i32_u (local.get $x))) (call $f (local.get 0))))";
  EXPECT_EQ(wat(src), std::string(kHeader) +
                          " 01 05 01 60 01 7f 00 03 02 01 00 0a 0f 01 0d 01 01 7e 20 00 ad 21 01 20 00 10 00 0b");
}

TEST(TextWat, LocalsShareRunsOfEqualTypes) {
  EXPECT_EQ(section("(func (local i32 i32) (local i64) (local $x i32))", 10), "01 08 03 02 7f 01 7e 01 7f 0b");
}

TEST(TextWat, LabelsByNameAndDepth) {
  EXPECT_EQ(code("(func (block $a (block $b (br $a) (br_if $b (i32.const 0)) (br_table $a $b 0 (i32.const 0)))))"),
            "02 40 02 40 0c 01 41 00 0d 00 41 00 0e 02 01 00 00 0b 0b 0b");
}

TEST(TextWat, ShadowedLabelResolvesToInnermost) {
  EXPECT_EQ(code("(func (block $l (block $l (br $l))))"), "02 40 02 40 0c 00 0b 0b 0b");
}

TEST(TextWat, UnnamedBlocksCountInDepth) {
  EXPECT_EQ(code("(func (block $l (block (br $l))))"), "02 40 02 40 0c 01 0b 0b 0b");
}

TEST(TextWat, FoldedIfConditionIsOutsideTheLabel) {
  // $l names the if's label only in the arms; the condition sees the outer block.
  EXPECT_EQ(code("(func (block $l (if $l (br_if $l (i32.const 0) (i32.const 1)) (then (br $l)))))"),
            "02 40 41 00 41 01 0d 00 04 40 0c 00 0b 0b 0b");
}

TEST(TextWat, TypeUseWithInlineSignature) {
  const char* src =
      "(module (type $t (func (param i32) (result i64)))"
      "  (import \"m\" \"f\" (func $imp (type $t)))"
      "  (func (export \"g\") (type $t) (param i32) (result i64) (call $imp (local.get 0))))";
  EXPECT_EQ(wat(src), std::string(kHeader) +
                          " 01 06 01 60 01 7f 01 7e 02 07 01 01 6d 01 66 00 00 03 02 01 00"
                          " 07 05 01 01 67 00 01 0a 08 01 06 00 20 00 10 00 0b");
}

TEST(TextWat, ImplicitTypesReuseLaterExplicitOnes) {
  // The func's implicit type matches the explicit type defined after it.
  EXPECT_EQ(section("(module (func (param i32)) (type (func (param i32))))", 1), "01 60 01 7f 00");
  EXPECT_EQ(section("(module (func (param i32)) (type (func (param i32))))", 3), "01 00");
}

TEST(TextWat, ImplicitTypesAppendInOrderOfUse) {
  const char* src =
      "(module (func $f (result f64) (f64.const 0))"
      " (func $g (param i32))"
      " (func $h (result f64) (f64.const 1))"
      " (type $t (func (param i32))))";
  EXPECT_EQ(section(src, 1), "02 60 01 7f 00 60 00 01 7c");
  EXPECT_EQ(section(src, 3), "03 01 00 01");
}

TEST(TextWat, BlockTypes) {
  EXPECT_EQ(code("(func (block (result i32) (i32.const 0)) drop)"), "02 7f 41 00 0b 1a 0b");
  // Multi-value and params need a type index, appended when not present.
  const char* src = "(module (func (block (param i32) (result i32 i32) (i32.const 2)) drop drop)"
                    " (type (func (param i32) (result i32 i32))))";
  EXPECT_EQ(section(src, 1), "02 60 01 7f 02 7f 7f 60 00 00");
  EXPECT_EQ(code(src), "02 00 41 02 0b 1a 1a 0b");
  // An explicit (type) whose signature fits the short form uses it, like wabt.
  EXPECT_EQ(code("(type $t (func (result i32))) (func (block (type $t) (i32.const 0)) drop)"), "02 7f 41 00 0b 1a 0b");
  EXPECT_EQ(code("(type $t (func (param i32))) (func (block (type $t) (drop)))"), "02 00 1a 0b 0b");
  // An out-of-range index is kept for the validator to reject.
  EXPECT_EQ(code("(func (block (type 5)))"), "02 05 0b 0b");
}

TEST(TextWat, CallIndirect) {
  const char* src = "(module (type $t (func)) (table 1 funcref)"
                    " (func (call_indirect (type $t) (i32.const 0)) (call_indirect 0 (param i32) (i32.const 1) (i32.const 0))))";
  EXPECT_EQ(section(src, 1), "02 60 00 00 60 01 7f 00");
  EXPECT_EQ(code(src), "41 00 11 00 00 41 01 41 00 11 01 00 0b");
  EXPECT_EQ(code("(table 0 funcref) (table $t 0 funcref) (func (call_indirect $t (i32.const 0)))"),
            "41 00 11 00 01 0b");
}

TEST(TextWat, InlineImportsAndExports) {
  const char* src = "(module (memory (export \"m\") (import \"a\" \"b\") 1 2)"
                    " (func $f (export \"a\") (export \"b\")) (export \"c\" (func $f)))";
  EXPECT_EQ(section(src, 2), "01 01 61 01 62 02 01 01 02");
  EXPECT_EQ(section(src, 7), "04 01 6d 02 00 01 61 00 00 01 62 00 00 01 63 00 00");
}

TEST(TextWat, GlobalsImportedAndDefined) {
  const char* src = "(module (import \"m\" \"g\" (global i64)) (global $g (export \"g\") (mut i32) (i32.const -1))"
                    " (func (global.set $g (global.get 1))))";
  EXPECT_EQ(section(src, 2), "01 01 6d 01 67 03 7e 00");
  EXPECT_EQ(section(src, 6), "01 7f 01 41 7f 0b");
  EXPECT_EQ(code(src), "23 01 24 01 0b");
}

TEST(TextWat, ElementSegmentForms) {
  const char* src =
      "(module (table $t 2 10 funcref) (func $f)"
      " (elem (table $t) (offset (i32.const 1)) func $f)"
      " (elem $e funcref (ref.func $f) (ref.null func))"
      " (elem declare func $f))";
  EXPECT_EQ(section(src, 9), "03 00 41 01 0b 01 00 05 70 02 d2 00 0b d0 70 0b 03 00 01 00");
  // Abbreviated offset and bare function list; a passive list of ref.func
  // items uses the function-index encoding too.
  EXPECT_EQ(section("(table 1 funcref) (func) (elem (i32.const 0) 0)", 9), "01 00 41 00 0b 01 00");
  EXPECT_EQ(section("(func) (elem funcref (ref.func 0) (item ref.func 0))", 9), "01 01 00 02 00 00");
  EXPECT_EQ(section("(table 1 externref) (elem (table 0) (i32.const 0) externref (ref.null extern))", 9),
            "01 06 00 41 00 0b 6f 01 d0 6f 0b");
  EXPECT_EQ(section("(table $a 1 funcref) (table $b 1 funcref) (func) (elem (table $b) (i32.const 0) func 0)", 9),
            "01 02 01 41 00 0b 00 01 00");
  EXPECT_EQ(section("(table 1 funcref) (global i32 (i32.const 0)) (elem (global.get 0) func)", 9),
            "01 00 23 00 0b 00");
}

TEST(TextWat, TableWithInlineElem) {
  const char* src = "(module (func) (func) (table funcref (elem 0 1)) (table $t externref (elem (ref.null extern))))";
  EXPECT_EQ(section(src, 4), "02 70 01 02 02 6f 01 01 01");
  EXPECT_EQ(section(src, 9), "02 00 41 00 0b 02 00 01 06 01 41 00 0b 6f 01 d0 6f 0b");
}

TEST(TextWat, DataSegmentsAndStringEscapes) {
  const char* src = R"((module (memory $m 1 2) (data (i32.const 8) "a\t\n\r\"\'\\\00\ff\u{41}\u{1F600}") (data $p "x" "y")))";
  EXPECT_EQ(section(src, 11), "02 00 41 08 0b 0e 61 09 0a 0d 22 27 5c 00 ff 41 f0 9f 98 80 01 02 78 79");
  EXPECT_EQ(section(R"((memory 1) (data (memory 0) (offset (i32.const 0)) "a"))", 11), "01 00 41 00 0b 01 61");
}

TEST(TextWat, MemoryWithInlineData) {
  EXPECT_EQ(wat("(module (memory (export \"mem\") (data \"hello\")))"),
            std::string(kHeader) +
                " 05 04 01 01 01 01 07 07 01 03 6d 65 6d 02 00 0b 0b 01 00 41 00 0b 05 68 65 6c 6c 6f");
  // 65537 bytes need two pages.
  EXPECT_EQ(section("(memory (data \"" + std::string(65537, 'x') + "\"))", 5), "01 01 02 02");
}

TEST(TextWat, DataCountOnlyWhenCodeNeedsIt) {
  const char* src =
      "(module (memory 1) (data $d \"x\") (table 1 funcref) (elem $e func)"
      " (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop $d)"
      "       (table.init $e (i32.const 0) (i32.const 0) (i32.const 0)) (elem.drop $e)"
      "       (table.copy (i32.const 0) (i32.const 0) (i32.const 0))))";
  EXPECT_EQ(section(src, 12), "01");
  EXPECT_EQ(code(src),
            "41 00 41 00 41 00 fc 08 00 00 fc 09 00 41 00 41 00 41 00 fc 0c 00 00 fc 0d 00"
            " 41 00 41 00 41 00 fc 0e 00 00 0b");
  EXPECT_EQ(section("(memory 1) (data (i32.const 0) \"a\")", 12), "");
  // Unlike wabt, also with no segments: `data.drop 0` must stay invalid
  // ("unknown data segment"), not become malformed for lack of DataCount.
  EXPECT_EQ(section("(func (data.drop 0))", 12), "00");
}

TEST(TextWat, TableInstructionsDefaultToTableZero) {
  EXPECT_EQ(code("(table 1 funcref) (table $t 1 externref) (func (table.size) (table.size $t) drop drop)"),
            "fc 10 00 fc 10 01 1a 1a 0b");
  EXPECT_EQ(code("(table $a 1 funcref) (table $b 1 funcref) (elem $e func) (func (table.init $b $e (i32.const 0) (i32.const 0) (i32.const 0)) (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0)))"),
            "41 00 41 00 41 00 fc 0c 00 01 41 00 41 00 41 00 fc 0e 00 01 0b");
}

TEST(TextWat, IntegerConstants) {
  EXPECT_EQ(code("(func (i64.const -9223372036854775808) (i64.const 18446744073709551615)"
                 " (i32.const 0xffff_ffff) (i32.const -0x8000_0000) drop drop drop drop)"),
            "42 80 80 80 80 80 80 80 80 80 7f 42 7f 41 7f 41 80 80 80 80 78 1a 1a 1a 1a 0b");
}

TEST(TextWat, FloatConstants) {
  EXPECT_EQ(code("(func (f32.const 0x1.fffffep127) (f32.const -0x1p-149) (f32.const nan:0x200000) (f32.const -inf)"
                 " (f64.const 1.5e308) (f64.const nan:0xf_ffff_ffff_ffff) (f64.const 0x1.000000000000080000000001p0)"
                 " (f32.const 1_000.000_1) drop drop drop drop drop drop drop drop)"),
            "43 ff ff 7f 7f 43 01 00 00 80 43 00 00 a0 7f 43 00 00 80 ff 44 f0 ac e1 48 6d b3 ea 7f"
            " 44 ff ff ff ff ff ff ff 7f 44 01 00 00 00 00 00 f0 3f 43 02 00 7a 44 1a 1a 1a 1a 1a 1a 1a 1a 0b");
}

TEST(TextWat, MemArgs) {
  EXPECT_EQ(code("(memory 1) (func (i32.load8_u offset=3 align=1 (i32.const 0)) (i64.store32 offset=0xffffffff (i32.const 0)) drop)"),
            "41 00 2d 00 03 41 00 3e 02 ff ff ff ff 0f 1a 0b");
  EXPECT_EQ(code("(memory 1) (func (i64.load align=8 (i32.const 0)) (f32.load align=2 (i32.const 0)) drop drop)"),
            "41 00 29 03 00 41 00 2a 01 00 1a 1a 0b");
}

TEST(TextWat, Simd) {
  EXPECT_EQ(code("(func (v128.const i8x16 -1 255 0 1 2 3 4 5 6 7 8 9 10 11 12 13) (v128.const i64x2 -1 0x8000000000000000)"
                 " (i8x16.shuffle 31 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14) (i8x16.extract_lane_u 15) drop)"),
            "fd 0c ff ff 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d fd 0c ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 80"
            " fd 0d 1f 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e fd 16 0f 1a 0b");
  EXPECT_EQ(code("(func (v128.const f32x4 nan -0 inf 1) (v128.const i16x8 1 2 3 4 5 6 7 -1) drop drop)"),
            "fd 0c 00 00 c0 7f 00 00 00 80 00 00 80 7f 00 00 80 3f fd 0c 01 00 02 00 03 00 04 00 05 00 06 00 07 00 ff ff"
            " 1a 1a 0b");
  EXPECT_EQ(code("(memory 1) (func (v128.load8_lane offset=2 3 (i32.const 0) (v128.const i64x2 0 0)) drop)"),
            "41 00 fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 fd 54 00 02 03 1a 0b");
  // Prefixed opcodes past 0x7F take a two-byte LEB.
  EXPECT_EQ(code("(func (param v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 0)) drop)"),
            "20 00 20 00 fd ba 01 1a 0b");
}

TEST(TextWat, ReferencesAndTypedSelect) {
  EXPECT_EQ(code("(func (param funcref) (result externref) (ref.is_null (local.get 0)) drop (ref.null extern))"),
            "20 00 d1 1a d0 6f 0b");
  EXPECT_EQ(code("(func (select (result i64) (i64.const 1) (i64.const 2) (i32.const 0)) drop)"),
            "42 01 42 02 41 00 1c 01 7e 1a 0b");
  EXPECT_EQ(code("(func unreachable select (result i32) (result i64) drop)"), "00 1c 02 7f 7e 1a 0b");
  // An empty result list still selects the typed form (and is invalid).
  EXPECT_EQ(code("(func unreachable select (result) drop)"), "00 1c 00 1a 0b");
  EXPECT_EQ(code("(func $f (ref.func $f) drop)"), "d2 00 1a 0b");
}

TEST(TextWat, Start) {
  EXPECT_EQ(section("(func $a) (func $b) (start $b)", 8), "01");
  EXPECT_EQ(wat_error("(func $a) (start $a) (start $a)"), "multiple start sections");
}

TEST(TextWat, CommentsAndAnnotations) {
  EXPECT_EQ(code("(func (; block (; nested ;) comment ;) nop ;; line comment\n nop)"), "01 01 0b");
  EXPECT_EQ(code("(func (@annotation (arbitrary \"stuff\") 1 2) nop)"), "01 0b");
  EXPECT_EQ(code("(func(nop)nop)"), "01 01 0b");
  // A line comment ends at CR as well as LF.
  EXPECT_EQ(code("(func ;; comment\r nop)"), "01 0b");
}

TEST(TextWat, DoesNotTypeCheck) {
  // Invalid but well-formed modules encode, for the validator to reject.
  EXPECT_EQ(code("(func (result i32) (i64.const 0))"), "42 00 0b");
  EXPECT_EQ(code("(func (call 7) (local.get 3) (global.get 9))"), "10 07 20 03 23 09 0b");
  EXPECT_EQ(code("(func (br 5))"), "0c 05 0b");
  EXPECT_EQ(section("(func (type 3))", 3), "01 03");
}

TEST(TextWat, DeepNestingDoesNotRecurse) {
  std::string folded, plain;
  for (int i = 0; i < 100000; ++i) folded += "(block ";
  for (int i = 0; i < 100000; ++i) folded += ")";
  for (int i = 0; i < 100000; ++i) plain += "block ";
  for (int i = 0; i < 100000; ++i) plain += "end ";
  EXPECT_EQ(wat_error("(func " + folded + ")"), "ok");
  EXPECT_EQ(wat_error("(func " + plain + ")"), "ok");
  std::string ops;
  for (int i = 0; i < 100000; ++i) ops += "(i32.eqz ";
  ops += "(i32.const 0)";
  for (int i = 0; i < 100000; ++i) ops += ")";
  EXPECT_EQ(wat_error("(func (result i32) " + ops + ")"), "ok");
}

// ---- errors ---------------------------------------------------------------

TEST(TextWatErrors, CarryLineAndOffset) {
  auto r = parse_wat("(module\n  (func\n    (i32.const 0x)))");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(r.error().line, 3u);
  EXPECT_EQ(r.error().offset, 31u);  // the "0x"
}

TEST(TextWatErrors, UnknownOperator) {
  EXPECT_EQ(wat_error("(func (i32.const 0x) drop)"), "unknown operator 0x");
  EXPECT_EQ(wat_error("(func (drop (i32.const0)))"), "unknown operator i32.const0");
  EXPECT_EQ(wat_error("(func br 0drop)"), "unknown operator 0drop");
  EXPECT_EQ(wat_error("(func get_local 0)"), "unknown operator get_local");
  EXPECT_EQ(wat_error("(data $l\"a\")"), "unknown operator $l\"a\"");  // glued tokens
  EXPECT_EQ(wat_error("(func (f32.const .0) drop)"), "unknown operator .0");
}

TEST(TextWatErrors, UnexpectedToken) {
  EXPECT_EQ(wat_error("(func (i32.const) drop)"), "unexpected token");
  EXPECT_EQ(wat_error("(func (f32.const nan:canonical))"), "unexpected token");
  EXPECT_EQ(wat_error("(func (local i32) (param i32))"), "unexpected token");
  EXPECT_EQ(wat_error("(func (result i32) (param i32) (local.get 0))"), "unexpected token");
  EXPECT_EQ(wat_error("(type (func (result $x i32)))"), "unexpected token");
  EXPECT_EQ(wat_error("(func (if i32.const 0 (then) (else)))"), "unexpected token");
  EXPECT_EQ(wat_error("(func (block (param $x i32)))"), "unexpected token");
  EXPECT_EQ(wat_error("(func (i32.add i32.const 1))"), "unexpected token");  // operands must be folded
  EXPECT_EQ(wat_error("(func block)"), "unexpected token");                  // missing end
  EXPECT_EQ(wat_error("(func end)"), "unexpected token");
}

TEST(TextWatErrors, UnexpectedEnd) {
  EXPECT_EQ(wat_error("(module (func"), "unexpected end");
  EXPECT_EQ(wat_error("(module (func (block"), "unexpected end");
}

TEST(TextWatErrors, ConstantsOutOfRange) {
  EXPECT_EQ(wat_error("(func (i32.const 0x1_0000_0000) drop)"), "constant out of range");
  EXPECT_EQ(wat_error("(func (i64.const -9223372036854775809) drop)"), "constant out of range");
  EXPECT_EQ(wat_error("(func (f32.const 1e39) drop)"), "constant out of range");
  EXPECT_EQ(wat_error("(func (f64.const nan:0x0) drop)"), "constant out of range");
  EXPECT_EQ(wat_error("(memory 0x1_0000_0000)"), "i32 constant out of range");
  EXPECT_EQ(wat_error("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))"), "i32 constant");
}

TEST(TextWatErrors, Alignment) {
  EXPECT_EQ(wat_error("(memory 0) (func (drop (i32.load8_s align=0 (i32.const 0))))"),
            "alignment must be a power of two");
  EXPECT_EQ(wat_error("(memory 0) (func (drop (i32.load align=7 (i32.const 0))))"),
            "alignment must be a power of two");
}

TEST(TextWatErrors, Names) {
  EXPECT_EQ(wat_error("(func (export \"\\80\"))"), "malformed UTF-8 encoding");
  EXPECT_EQ(wat_error("(import \"\\c0\\80\" \"x\" (func))"), "malformed UTF-8 encoding");
  EXPECT_EQ(wat_error("(func (export \"\\u{10FFFF}\\ed\\9f\\bf\"))"), "ok");
  EXPECT_EQ(wat_error("(func (export \"\\ed\\a0\\80\"))"), "malformed UTF-8 encoding");  // a surrogate
  EXPECT_EQ(wat_error("(func (export \"\\u{D800}\"))"), "illegal escape");
  EXPECT_EQ(wat_error("(func (export \"\\q\"))"), "illegal escape");
}

TEST(TextWatErrors, UnboundNames) {
  EXPECT_EQ(wat_error("(func (call $nope))"), "unknown function $nope");
  EXPECT_EQ(wat_error("(func (local.get $nope) drop)"), "unknown local $nope");
  EXPECT_EQ(wat_error("(func (br $nope))"), "unknown label $nope");
  EXPECT_EQ(wat_error("(func (type $nope))"), "unknown type $nope");
  EXPECT_EQ(wat_error("(func (global.get $nope) drop)"), "unknown global $nope");
  EXPECT_EQ(wat_error("(func (table.size $nope) drop)"), "unknown table $nope");
  EXPECT_EQ(wat_error("(func (elem.drop $nope))"), "unknown elem segment $nope");
  EXPECT_EQ(wat_error("(func (data.drop $nope))"), "unknown data segment $nope");
  EXPECT_EQ(wat_error("(data (memory $nope) (i32.const 0))"), "unknown memory $nope");
  // A label goes out of scope at its end.
  EXPECT_EQ(wat_error("(func (block $l) (br $l))"), "unknown label $l");
}

TEST(TextWatErrors, Duplicates) {
  EXPECT_EQ(wat_error("(func $f) (func $f)"), "duplicate func $f");
  EXPECT_EQ(wat_error("(import \"\" \"\" (func $f)) (func $f)"), "duplicate func $f");
  EXPECT_EQ(wat_error("(func (param $x i32) (local $x i32))"), "duplicate local $x");
  EXPECT_EQ(wat_error("(func (param $x i32) (param $x i32))"), "duplicate local $x");
  EXPECT_EQ(wat_error("(global $g i32 (i32.const 0)) (global $g i32 (i32.const 0))"), "duplicate global $g");
  EXPECT_EQ(wat_error("(memory $m 1) (memory $m 1)"), "duplicate memory $m");
  EXPECT_EQ(wat_error("(table $t 1 funcref) (table $t 1 funcref)"), "duplicate table $t");
}

TEST(TextWatErrors, ImportAfterDefinition) {
  EXPECT_EQ(wat_error("(func) (import \"\" \"\" (func))"), "import after function");
  EXPECT_EQ(wat_error("(global i64 (i64.const 0)) (import \"\" \"\" (table 0 funcref))"), "import after global");
  EXPECT_EQ(wat_error("(table 0 funcref) (memory (import \"\" \"\") 0)"), "import after table");
  EXPECT_EQ(wat_error("(memory 0) (global (import \"\" \"\") i32)"), "import after memory");
}

TEST(TextWatErrors, InlineFunctionTypeMustMatch) {
  EXPECT_EQ(wat_error("(type $sig (func)) (func (block (type $sig) (result i32) (i32.const 0)) (unreachable))"),
            "inline function type");
  EXPECT_EQ(wat_error("(type $t (func (param i32))) (func (type $t) (param i64))"), "inline function type");
  EXPECT_EQ(wat_error("(func (type 2) (param i32))"), "unknown type");
  EXPECT_EQ(wat_error("(type $t (func (param i32))) (func (type $t) (param i32) (result i32) (i32.const 0))"),
            "inline function type");
  EXPECT_EQ(wat_error("(type $t (func (param i32))) (func (type $t) (param $x i32) (local.get $x) drop)"), "ok");
}

TEST(TextWatErrors, MismatchingLabels) {
  EXPECT_EQ(wat_error("(func block $a end $b)"), "mismatching label");
  EXPECT_EQ(wat_error("(func block end $a)"), "mismatching label");
  EXPECT_EQ(wat_error("(func (i32.const 0) if $a else $b end $a)"), "mismatching label");
  EXPECT_EQ(wat_error("(func loop $a end $a)"), "ok");
}

TEST(TextWatErrors, SimdLiterals) {
  EXPECT_EQ(wat_error("(func (v128.const i32x4 0 0 0) drop)"), "wrong number of lane literals");
  EXPECT_EQ(wat_error("(func (v128.const i32x4 0 0 0 0 0) drop)"), "wrong number of lane literals");
  // Lanes are counted before their values are read.
  EXPECT_EQ(wat_error("(func (v128.const i32x4 0x10000000000000000 0x10000000000000000) drop)"),
            "wrong number of lane literals");
  EXPECT_EQ(wat_error("(func (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0) drop)"), "constant out of range");
  EXPECT_EQ(wat_error("(func (v128.const 0 0 0 0) drop)"), "unexpected token");
  EXPECT_EQ(wat_error("(func (result i32) (i8x16.extract_lane_s 256 (v128.const i64x2 0 0)))"), "malformed lane index");
  EXPECT_EQ(wat_error("(func (result i32) (i8x16.extract_lane_s -1 (v128.const i64x2 0 0)))"), "unexpected token");
  EXPECT_EQ(wat_error("(func (param v128) (result v128) (i8x16.shuffle 0 1 2 (local.get 0) (local.get 0)))"),
            "invalid lane length");
  EXPECT_EQ(wat_error("(func (param v128) (result v128) (i8x16.shuffle 0.5 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"
                      " (local.get 0) (local.get 0)))"),
            "malformed lane index");
}

TEST(TextWatErrors, LexicalErrors) {
  EXPECT_EQ(wat_error("(func (; unclosed"), "unclosed comment");
  EXPECT_EQ(wat_error("(data \"unclosed"), "unclosed string");
  EXPECT_EQ(wat_error("(data \"a\tb\")"), "illegal control character in string");
  EXPECT_EQ(wat_error("(func \xff)"), "unknown operator \xff");
}

}  // namespace
}  // namespace wisp::text
