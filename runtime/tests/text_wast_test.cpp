// The .wast script parser: every command form and every kind of value.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/tests/text_test_util.hpp"
#include "runtime/text/wast.hpp"

namespace wisp::text {
namespace {

Script parse(std::string_view src) {
  auto r = parse_wast(src);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? std::move(*r) : Script{};
}

TEST(TextWast, ModuleForms) {
  Script s = parse(
      "(module $a (func))\n"
      "(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
      "(module $q quote \"(func\" \" (nop))\")\n");
  ASSERT_EQ(s.commands.size(), 3u);
  const Command& a = s.commands[0];
  EXPECT_EQ(a.kind, Command::Module);
  EXPECT_EQ(a.line, 1u);
  EXPECT_EQ(a.module.form, ScriptModule::Text);
  EXPECT_EQ(a.module.name, "$a");
  EXPECT_EQ(testing::hex(a.module.bytes), "00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 0a 04 01 02 00 0b");
  const Command& b = s.commands[1];
  EXPECT_EQ(b.module.form, ScriptModule::Binary);
  EXPECT_EQ(testing::hex(b.module.bytes), "00 61 73 6d 01 00 00 00");
  EXPECT_EQ(b.line, 2u);
  const Command& q = s.commands[2];
  EXPECT_EQ(q.module.form, ScriptModule::Quote);
  EXPECT_EQ(q.module.name, "$q");
  EXPECT_EQ(q.module.quote, "(func (nop))");
  auto bytes = module_binary(q.module);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(testing::hex(*bytes), testing::wat("(func (nop))"));
}

TEST(TextWast, ModuleSourceRange) {
  std::string src = "  (module (func))  ";
  Script s = parse(src);
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(src.substr(s.commands[0].module.source_begin,
                       s.commands[0].module.source_end - s.commands[0].module.source_begin),
            "(module (func))");
}

TEST(TextWast, BareModuleFieldsFormOneModule) {
  Script s = parse("(func) (memory 0) (func (export \"f\"))");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(testing::hex(s.commands[0].module.bytes), testing::wat("(func) (memory 0) (func (export \"f\"))"));
}

TEST(TextWast, RegisterAndActions) {
  Script s = parse(
      "(module $m (func (export \"f\") (param i32 i64 f32 f64)))\n"
      "(register \"M\" $m)\n"
      "(register \"N\")\n"
      "(invoke $m \"f\" (i32.const -1) (i64.const 0x10) (f32.const -0.0) (f64.const nan:0x1))\n"
      "(get \"g\")\n");
  ASSERT_EQ(s.commands.size(), 5u);
  EXPECT_EQ(s.commands[1].kind, Command::Register);
  EXPECT_EQ(s.commands[1].register_as, "M");
  EXPECT_EQ(s.commands[1].register_module, "$m");
  EXPECT_EQ(s.commands[2].register_module, "");
  const Command& inv = s.commands[3];
  EXPECT_EQ(inv.kind, Command::Action);
  EXPECT_EQ(inv.action.kind, Action::Invoke);
  EXPECT_EQ(inv.action.module, "$m");
  EXPECT_EQ(inv.action.field, "f");
  EXPECT_EQ(inv.action.line, 4u);
  ASSERT_EQ(inv.action.args.size(), 4u);
  EXPECT_EQ(inv.action.args[0].type, Value::I32);
  EXPECT_EQ(inv.action.args[0].bits, 0xFFFFFFFFu);
  EXPECT_EQ(inv.action.args[1].bits, 0x10u);
  EXPECT_EQ(inv.action.args[2].type, Value::F32);
  EXPECT_EQ(inv.action.args[2].bits, 0x80000000u);
  EXPECT_EQ(inv.action.args[3].type, Value::F64);
  EXPECT_EQ(inv.action.args[3].bits, 0x7FF0000000000001u);
  EXPECT_EQ(s.commands[4].action.kind, Action::Get);
  EXPECT_EQ(s.commands[4].action.field, "g");
}

TEST(TextWast, AssertReturnResults) {
  Script s = parse(
      "(assert_return (invoke \"f\") (i32.const 1) (f32.const nan:canonical) (f64.const nan:arithmetic)"
      " (f64.const -nan:0x4) (ref.null func) (ref.null extern) (ref.extern 7) (ref.func))");
  ASSERT_EQ(s.commands.size(), 1u);
  const Command& c = s.commands[0];
  EXPECT_EQ(c.kind, Command::AssertReturn);
  ASSERT_EQ(c.expected.size(), 8u);
  EXPECT_EQ(c.expected[0].value.bits, 1u);
  EXPECT_EQ(c.expected[0].nan, NanPattern::None);
  EXPECT_EQ(c.expected[1].value.type, Value::F32);
  EXPECT_EQ(c.expected[1].nan, NanPattern::Canonical);
  EXPECT_EQ(c.expected[2].nan, NanPattern::Arithmetic);
  EXPECT_EQ(c.expected[3].value.bits, 0xFFF0000000000004u);
  EXPECT_EQ(c.expected[4].value.type, Value::FuncRef);
  EXPECT_TRUE(c.expected[4].value.is_null);
  EXPECT_EQ(c.expected[5].value.type, Value::ExternRef);
  EXPECT_TRUE(c.expected[5].value.is_null);
  EXPECT_EQ(c.expected[6].value.type, Value::ExternRef);
  EXPECT_FALSE(c.expected[6].value.is_null);
  EXPECT_EQ(c.expected[6].value.ref, 7u);
  EXPECT_EQ(c.expected[7].value.type, Value::FuncRef);
  EXPECT_TRUE(c.expected[7].any_ref);
}

TEST(TextWast, V128ValuesWithPerLanePatterns) {
  Script s = parse(
      "(assert_return (invoke \"f\" (v128.const i16x8 1 2 3 4 5 6 7 -1))"
      " (v128.const f32x4 1.0 nan:canonical -0 nan:arithmetic))");
  const Command& c = s.commands.at(0);
  const Value& arg = c.action.args.at(0);
  EXPECT_EQ(arg.type, Value::V128);
  EXPECT_EQ(arg.shape, LaneShape::I16x8);
  const uint8_t want[16] = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0xff, 0xff};
  EXPECT_EQ(std::memcmp(arg.v128.data(), want, 16), 0);
  const Expected& e = c.expected.at(0);
  EXPECT_EQ(e.value.shape, LaneShape::F32x4);
  EXPECT_EQ(e.lane_nan[0], NanPattern::None);
  EXPECT_EQ(e.lane_nan[1], NanPattern::Canonical);
  EXPECT_EQ(e.lane_nan[2], NanPattern::None);
  EXPECT_EQ(e.lane_nan[3], NanPattern::Arithmetic);
  const uint8_t lanes02[8] = {0x00, 0x00, 0x80, 0x3f, 0, 0, 0, 0};
  EXPECT_EQ(std::memcmp(e.value.v128.data(), lanes02, 8), 0);
  EXPECT_EQ(e.value.v128[11], 0x80);  // -0
}

TEST(TextWast, Assertions) {
  Script s = parse(
      "(assert_trap (invoke \"f\") \"unreachable\")\n"
      "(assert_trap (module (func $s unreachable) (start $s)) \"unreachable\")\n"
      "(assert_exhaustion (invoke \"r\") \"call stack exhausted\")\n"
      "(assert_invalid (module (func (result i32))) \"type mismatch\")\n"
      "(assert_malformed (module quote \"(func\") \"unexpected end\")\n"
      "(assert_malformed (module binary \"\") \"unexpected end\")\n"
      "(assert_unlinkable (module (import \"x\" \"y\" (func))) \"unknown import\")\n"
      "(assert_uninstantiable (module (func $s unreachable) (start $s)) \"unreachable\")\n");
  ASSERT_EQ(s.commands.size(), 8u);
  EXPECT_EQ(s.commands[0].kind, Command::AssertTrap);
  EXPECT_FALSE(s.commands[0].has_module);
  EXPECT_EQ(s.commands[0].message, "unreachable");
  EXPECT_EQ(s.commands[1].kind, Command::AssertTrap);
  EXPECT_TRUE(s.commands[1].has_module);
  EXPECT_EQ(s.commands[2].kind, Command::AssertExhaustion);
  EXPECT_EQ(s.commands[3].kind, Command::AssertInvalid);
  EXPECT_FALSE(s.commands[3].module.failed);
  EXPECT_EQ(s.commands[3].message, "type mismatch");
  EXPECT_EQ(s.commands[4].kind, Command::AssertMalformed);
  EXPECT_EQ(s.commands[4].module.quote, "(func");
  auto m = module_binary(s.commands[4].module);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message, "unexpected end");
  EXPECT_EQ(s.commands[5].module.form, ScriptModule::Binary);
  EXPECT_EQ(s.commands[6].kind, Command::AssertUnlinkable);
  EXPECT_EQ(s.commands[7].kind, Command::AssertUninstantiable);
  for (size_t i = 0; i < s.commands.size(); ++i) EXPECT_EQ(s.commands[i].line, i + 1);
}

TEST(TextWast, TextModuleThatDoesNotEncodeIsRecorded) {
  Script s = parse(
      "(assert_invalid (module (func (call $missing))) \"unknown function\")\n"
      "(module (func (br $nope)))\n"
      "(assert_return (invoke \"f\"))\n");
  ASSERT_EQ(s.commands.size(), 3u);
  EXPECT_TRUE(s.commands[0].module.failed);
  EXPECT_EQ(s.commands[0].module.error.message, "unknown function $missing");
  EXPECT_EQ(s.commands[0].module.error.line, 1u);
  EXPECT_TRUE(s.commands[1].module.failed);
  EXPECT_EQ(s.commands[1].module.error.line, 2u);
  EXPECT_FALSE(module_binary(s.commands[1].module));
  EXPECT_EQ(s.commands[2].kind, Command::AssertReturn);
}

TEST(TextWast, ScriptErrors) {
  for (const char* bad : {"(bogus)", "(assert_return (invoke \"f\" (i32.const 0x1_0000_0000)))",
                          "(invoke \"f\" (i32.const 1)", "(register $m)", "(module", "(assert_trap (invoke \"f\"))",
                          "(invoke \"\\ff\")", "(assert_return (invoke \"f\") (i32.const nan:canonical))"}) {
    auto r = parse_wast(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
      EXPECT_EQ(r.error().line, 1u);
    }
  }
}

}  // namespace
}  // namespace wisp::text
