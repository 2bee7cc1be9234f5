// WAVE values: text in, the value, text out (which must be the canonical
// spelling), each against its type.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/component/value.hpp"

namespace wisp::component {
namespace {

ValType prim(Prim p) { return ValType{true, p, 0}; }

struct Scope {
  std::vector<std::unique_ptr<Type>> owned;
  abi::Types types;
  ValType add(Type t) {
    owned.push_back(std::make_unique<Type>(std::move(t)));
    types.push_back(owned.back().get());
    return ValType{false, Prim::Bool, uint32_t(types.size() - 1)};
  }
};

// Parses then prints; the error message instead when it does not parse.
std::string round(std::string_view text, const ValType& t, const abi::Types& ts = {}) {
  auto v = parse_wave(text, t, ts);
  if (!v.ok()) return "error: " + v.error().message;
  return to_wave(v.value(), t, ts);
}

TEST(Wave, Primitives) {
  EXPECT_EQ(round("true", prim(Prim::Bool)), "true");
  EXPECT_EQ(round(" 42 ", prim(Prim::U8)), "42");
  EXPECT_EQ(round("256", prim(Prim::U8)), "error: 256 is out of range for u8");
  EXPECT_EQ(round("-128", prim(Prim::S8)), "-128");
  EXPECT_EQ(round("-1", prim(Prim::U32)), "error: -1 is out of range for u32");
  EXPECT_EQ(round("18446744073709551615", prim(Prim::U64)), "18446744073709551615");
  EXPECT_EQ(round("3.5", prim(Prim::U32)), "error: expected an integer");
  EXPECT_EQ(round("0.1", prim(Prim::F32)), "0.1");
  EXPECT_EQ(round("6.022e+23", prim(Prim::F64)), "6.022e+23");
  EXPECT_EQ(round("-inf", prim(Prim::F64)), "-inf");
  EXPECT_EQ(round("nan", prim(Prim::F32)), "nan");
  EXPECT_EQ(round("'x'", prim(Prim::Char)), "'x'");
  EXPECT_EQ(round("'\\u{2603}'", prim(Prim::Char)), "'\xe2\x98\x83'");
  EXPECT_EQ(round("'\\''", prim(Prim::Char)), "'\\''");
  EXPECT_EQ(round("\"abc\\t123\"", prim(Prim::String)), "\"abc\\t123\"");
  EXPECT_EQ(round("\"a\\u{1}b\"", prim(Prim::String)), "\"a\\u{1}b\"");
  EXPECT_EQ(round("\"open", prim(Prim::String)), "error: unterminated string");
  EXPECT_EQ(round("1 2", prim(Prim::U8)), "error: unexpected text after the value");
}

TEST(Wave, Compounds) {
  Scope s;
  Type list;
  list.kind = Type::List;
  list.a = prim(Prim::U32);
  ValType l = s.add(list);
  EXPECT_EQ(round("[1, 2, 3,]", l, s.types), "[1, 2, 3]");
  EXPECT_EQ(round("[]", l, s.types), "[]");
  Type tuple;
  tuple.kind = Type::Tuple;
  tuple.types = {prim(Prim::String), prim(Prim::S32)};
  EXPECT_EQ(round("(\"abc\", -9)", s.add(tuple), s.types), "(\"abc\", -9)");
  Type opt;
  opt.kind = Type::Option;
  opt.a = prim(Prim::String);
  ValType o = s.add(opt);
  Type rec;
  rec.kind = Type::Record;
  rec.fields = {{"field-a", prim(Prim::U8)}, {"field-b", o}};
  ValType r = s.add(rec);
  EXPECT_EQ(round("{field-b: \"two\", field-a: 1}", r, s.types), "{field-a: 1, field-b: some(\"two\")}");
  EXPECT_EQ(round("{field-a: 1}", r, s.types), "{field-a: 1, field-b: none}");  // an option may be left out
  EXPECT_EQ(round("{field-b: none}", r, s.types), "error: missing field `field-a`");
  EXPECT_EQ(round("{field-c: 1}", r, s.types), "error: no field `field-c`");
}

TEST(Wave, CasesOptionsResultsFlags) {
  Scope s;
  Type var;
  var.kind = Type::Variant;
  var.cases = {{"days", prim(Prim::U32)}, {"forever", std::nullopt}, {"none", std::nullopt}};
  ValType v = s.add(var);
  EXPECT_EQ(round("days(30)", v, s.types), "days(30)");
  EXPECT_EQ(round("forever", v, s.types), "forever");
  EXPECT_EQ(round("%none", v, s.types), "%none");  // a keyword as a case needs `%`
  EXPECT_EQ(round("none", v, s.types), "error: `none` is a keyword: write `%none`");
  EXPECT_EQ(round("forever(1)", v, s.types), "error: this case has no payload");
  Type en;
  en.kind = Type::Enum;
  en.labels = {"south", "west"};
  EXPECT_EQ(round("west", s.add(en), s.types), "west");
  Type opt;
  opt.kind = Type::Option;
  opt.a = prim(Prim::U8);
  ValType o = s.add(opt);
  EXPECT_EQ(round("7", o, s.types), "some(7)");  // a flat some
  EXPECT_EQ(round("some(7)", o, s.types), "some(7)");
  EXPECT_EQ(round("none", o, s.types), "none");
  Type res;
  res.kind = Type::Result;
  res.a = prim(Prim::String);
  res.b = prim(Prim::String);
  ValType rs = s.add(res);
  EXPECT_EQ(round("\"flat ok\"", rs, s.types), "ok(\"flat ok\")");
  EXPECT_EQ(round("err(\"oops\")", rs, s.types), "err(\"oops\")");
  Type bare;
  bare.kind = Type::Result;
  EXPECT_EQ(round("ok", s.add(bare), s.types), "ok");
  Type flags;
  flags.kind = Type::Flags;
  flags.labels = {"read", "write", "exec"};
  ValType f = s.add(flags);
  EXPECT_EQ(round("{write, read}", f, s.types), "{read, write}");
  EXPECT_EQ(round("{}", f, s.types), "{}");
  EXPECT_EQ(round("{delete}", f, s.types), "error: no flag `delete`");
}

TEST(Wave, ArgumentLists) {
  auto args = parse_wave_list("\"text\", 42", {prim(Prim::String), prim(Prim::U32)}, {});
  ASSERT_TRUE(args.ok()) << args.error().message;
  ASSERT_EQ(args.value().size(), 2u);
  EXPECT_EQ(args.value()[0].text, "text");
  EXPECT_EQ(args.value()[1].bits, 42u);
  EXPECT_FALSE(parse_wave_list("1, 2", {prim(Prim::U32)}, {}).ok());
  EXPECT_TRUE(parse_wave_list("  ", {}, {}).ok());
}

}  // namespace
}  // namespace wisp::component
