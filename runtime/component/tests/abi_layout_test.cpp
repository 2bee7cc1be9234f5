// The canonical ABI's layout: each case a type, then its alignment, size
// and flattening as CanonicalABI.md's definitions give them.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/component/abi_layout.hpp"

namespace wisp::component::abi {
namespace {

ValType prim(Prim p) { return ValType{true, p, 0}; }

// A scope of types built in order; each add() returns the new index.
struct Scope {
  std::vector<std::unique_ptr<Type>> owned;
  Types types;
  ValType add(Type t) {
    owned.push_back(std::make_unique<Type>(std::move(t)));
    types.push_back(owned.back().get());
    return ValType{false, Prim::Bool, uint32_t(types.size() - 1)};
  }
};

std::string flat(const ValType& v, const Types& ts) {
  std::vector<Flat> f;
  flatten(v, ts, f);
  static const char* const kNames[] = {"i32", "i64", "f32", "f64"};
  std::string s;
  for (Flat x : f) s += std::string(s.empty() ? "" : " ") + kNames[unsigned(x)];
  return s;
}

TEST(AbiLayout, Primitives) {
  const Types none;
  EXPECT_EQ(alignment(prim(Prim::U8), none), 1u);
  EXPECT_EQ(elem_size(prim(Prim::S16), none), 2u);
  EXPECT_EQ(elem_size(prim(Prim::Char), none), 4u);
  EXPECT_EQ(alignment(prim(Prim::U64), none), 8u);
  EXPECT_EQ(alignment(prim(Prim::String), none), 4u);
  EXPECT_EQ(elem_size(prim(Prim::String), none), 8u);
  EXPECT_EQ(flat(prim(Prim::String), none), "i32 i32");
  EXPECT_EQ(flat(prim(Prim::F32), none), "f32");
  EXPECT_EQ(flat(prim(Prim::S64), none), "i64");
  EXPECT_EQ(flat(prim(Prim::Bool), none), "i32");
}

// (record (field "a" u8) (field "b" u32) (field "c" u8)): padded to 12.
TEST(AbiLayout, RecordsArePaddedToTheirAlignment) {
  Scope s;
  Type r;
  r.kind = Type::Record;
  r.fields = {{"a", prim(Prim::U8)}, {"b", prim(Prim::U32)}, {"c", prim(Prim::U8)}};
  ValType v = s.add(r);
  EXPECT_EQ(alignment(v, s.types), 4u);
  EXPECT_EQ(elem_size(v, s.types), 12u);
  EXPECT_EQ(flat(v, s.types), "i32 i32 i32");
}

// option<u64>: a u8 discriminant, the payload at 8; result<f64, f32> joins
// f64 and f32 to i64; result<u32, f32> joins to i32.
TEST(AbiLayout, VariantsJoinTheirCasesFlatTypes) {
  Scope s;
  Type o;
  o.kind = Type::Option;
  o.a = prim(Prim::U64);
  ValType opt = s.add(o);
  EXPECT_EQ(alignment(opt, s.types), 8u);
  EXPECT_EQ(elem_size(opt, s.types), 16u);
  EXPECT_EQ(flat(opt, s.types), "i32 i64");
  Type r1;
  r1.kind = Type::Result;
  r1.a = prim(Prim::F64);
  r1.b = prim(Prim::F32);
  EXPECT_EQ(flat(s.add(r1), s.types), "i32 i64");
  Type r2;
  r2.kind = Type::Result;
  r2.a = prim(Prim::U32);
  r2.b = prim(Prim::F32);
  ValType res = s.add(r2);
  EXPECT_EQ(flat(res, s.types), "i32 i32");
  EXPECT_EQ(elem_size(res, s.types), 8u);
  Type bare;  // result with neither payload: just the discriminant
  bare.kind = Type::Result;
  ValType b = s.add(bare);
  EXPECT_EQ(flat(b, s.types), "i32");
  EXPECT_EQ(elem_size(b, s.types), 1u);
}

TEST(AbiLayout, EnumsAndFlagsBySize) {
  Scope s;
  Type e;
  e.kind = Type::Enum;
  for (int i = 0; i < 257; ++i) e.labels.push_back("c" + std::to_string(i));
  ValType en = s.add(e);
  EXPECT_EQ(elem_size(en, s.types), 2u);  // 257 cases need a u16
  Type f;
  f.kind = Type::Flags;
  for (int i = 0; i < 9; ++i) f.labels.push_back("f" + std::to_string(i));
  ValType fl = s.add(f);
  EXPECT_EQ(elem_size(fl, s.types), 2u);
  EXPECT_EQ(alignment(fl, s.types), 2u);
  EXPECT_EQ(flat(fl, s.types), "i32");
  EXPECT_EQ(discriminant_size(1), 1u);
  EXPECT_EQ(discriminant_size(256), 1u);
  EXPECT_EQ(discriminant_size(65537), 4u);
}

TEST(AbiLayout, ListsAndTuples) {
  Scope s;
  Type l;
  l.kind = Type::List;
  l.a = prim(Prim::U16);
  ValType list = s.add(l);
  EXPECT_EQ(elem_size(list, s.types), 8u);
  EXPECT_EQ(flat(list, s.types), "i32 i32");
  Type fixed;
  fixed.kind = Type::FixedList;
  fixed.a = prim(Prim::U16);
  fixed.length = 3;
  ValType fx = s.add(fixed);
  EXPECT_EQ(elem_size(fx, s.types), 6u);
  EXPECT_EQ(flat(fx, s.types), "i32 i32 i32");
  Type t;
  t.kind = Type::Tuple;
  t.types = {prim(Prim::U8), prim(Prim::F64), list};
  ValType tup = s.add(t);
  EXPECT_EQ(alignment(tup, s.types), 8u);
  EXPECT_EQ(elem_size(tup, s.types), 24u);  // 1, pad to 8, 8, then the list's 8
  EXPECT_EQ(flat(tup, s.types), "i32 f64 i32 i32");
}

// Over 16 flat parameters they go through memory; over one flat result, a
// lifted function returns a pointer and a lowered one takes one.
TEST(AbiLayout, FunctionSignatures) {
  Scope s;
  Type f;
  f.kind = Type::Func;
  for (int i = 0; i < 16; ++i) f.fields.push_back({"p" + std::to_string(i), prim(Prim::U32)});
  f.result = prim(Prim::U32);
  CoreSignature sig = flatten_func(f, s.types, false);
  EXPECT_EQ(sig.params.size(), 16u);
  EXPECT_FALSE(sig.params_in_memory);
  f.fields.push_back({"p16", prim(Prim::U32)});
  sig = flatten_func(f, s.types, false);
  EXPECT_TRUE(sig.params_in_memory);
  EXPECT_EQ(sig.params.size(), 1u);
  Type g;
  g.kind = Type::Func;
  g.fields = {{"s", prim(Prim::String)}};
  g.result = prim(Prim::String);
  sig = flatten_func(g, s.types, false);  // lift
  EXPECT_EQ(sig.params.size(), 2u);
  EXPECT_TRUE(sig.results_in_memory);
  EXPECT_EQ(sig.results.size(), 1u);
  sig = flatten_func(g, s.types, true);  // lower: a return pointer after the parameters
  EXPECT_EQ(sig.params.size(), 3u);
  EXPECT_TRUE(sig.results.empty());
}

}  // namespace
}  // namespace wisp::component::abi
