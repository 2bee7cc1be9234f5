// Value types and subtyping, as Wasm 3.0 defines them (types.hpp,
// subtyping.hpp): canonical forms, names, the heap-type hierarchy, defined
// types with supertypes; and what the decoder says of 3.0 types it does not
// read yet.
#include <gtest/gtest.h>

#include "runtime/valid/decoder.hpp"
#include "runtime/wasm/subtyping.hpp"

namespace wisp {
namespace {

using H = HeapKind;

ValType ref(H h, bool nullable = false, uint32_t index = 0) {
  return ValType::ref(h, nullable, index);
}

TEST(Types, AbbreviationsAreCanonical) {
  EXPECT_EQ(ref(H::Func, true), ValType::FuncRef);
  EXPECT_EQ(ref(H::Extern, true), ValType::ExternRef);
  EXPECT_NE(ref(H::Func, false), ValType::FuncRef);
  EXPECT_TRUE(ValType(ValType::FuncRef).nullable());
  EXPECT_EQ(ValType(ValType::FuncRef).heap(), H::Func);
  EXPECT_FALSE(ref(H::Any).nullable());
  EXPECT_EQ(ref(H::Index, true, 12345).index(), 12345u);
  EXPECT_NE(ref(H::Index, true, 1), ref(H::Index, true, 2));
  EXPECT_FALSE(ValType(ValType::I32).is_ref());
}

TEST(Types, Names) {
  EXPECT_EQ(to_string(ValType::I32), "i32");
  EXPECT_EQ(to_string(ValType::FuncRef), "funcref");
  EXPECT_EQ(to_string(ref(H::Func)), "(ref func)");
  EXPECT_EQ(to_string(ref(H::Any, true)), "(ref null any)");
  EXPECT_EQ(to_string(ref(H::Index, false, 7)), "(ref 7)");
}

TEST(Types, SwitchSeesTheCode) {
  auto kind = [](ValType t) {
    switch (t) {
      case ValType::I32: return 1;
      case ValType::FuncRef: return 2;
      case ValType::Ref: return 3;
      case ValType::RefNull: return 4;
      default: return 0;
    }
  };
  EXPECT_EQ(kind(ValType::I32), 1);
  EXPECT_EQ(kind(ref(H::Func, true)), 2);
  EXPECT_EQ(kind(ref(H::Func)), 3);
  EXPECT_EQ(kind(ref(H::Eq, true)), 4);
}

TEST(Subtyping, NumbersMatchOnlyThemselves) {
  Module m;
  EXPECT_TRUE(is_subtype(ValType::I32, ValType::I32, m));
  EXPECT_FALSE(is_subtype(ValType::I32, ValType::I64, m));
  EXPECT_TRUE(is_subtype(ValType::Unknown, ValType::F64, m));
  EXPECT_FALSE(is_subtype(ValType::I32, ValType::FuncRef, m));
  EXPECT_FALSE(is_subtype(ValType::FuncRef, ValType::ExternRef, m));
}

TEST(Subtyping, NullabilityAndTheAbstractHierarchy) {
  Module m;
  EXPECT_TRUE(is_subtype(ref(H::Func), ValType::FuncRef, m));
  EXPECT_FALSE(is_subtype(ValType::FuncRef, ref(H::Func), m));
  EXPECT_TRUE(is_subtype(ref(H::NoFunc), ref(H::Func), m));
  EXPECT_TRUE(is_subtype(ref(H::NoExtern, true), ValType::ExternRef, m));
  EXPECT_FALSE(is_subtype(ref(H::NoFunc), ValType::ExternRef, m));
  for (H h : {H::I31, H::Struct, H::Array}) {
    EXPECT_TRUE(is_subtype(ref(h), ref(H::Eq), m));
    EXPECT_TRUE(is_subtype(ref(h), ref(H::Any), m));
    EXPECT_TRUE(is_subtype(ref(H::None), ref(h), m));
    EXPECT_FALSE(is_subtype(ref(H::Eq), ref(h), m));
  }
  EXPECT_TRUE(is_subtype(ref(H::Eq), ref(H::Any), m));
  EXPECT_FALSE(is_subtype(ref(H::Any), ref(H::Eq), m));
  EXPECT_FALSE(is_subtype(ref(H::Struct), ref(H::Array), m));
  EXPECT_FALSE(is_subtype(ref(H::Func), ref(H::Any), m));
  EXPECT_TRUE(is_subtype(ref(H::NoExn), ref(H::Exn), m));
}

// Types 0 (func), 1 (struct, open), 2 (struct, sub 1), 3 (array).
TEST(Subtyping, DefinedTypes) {
  Module m;
  m.types.resize(4);
  m.hierarchy = std::make_unique<TypeHierarchy>();
  std::vector<SubType>& st = m.hierarchy->subtypes;
  st.resize(4);
  st[0].kind = CompositeKind::Func;
  st[1].kind = CompositeKind::Struct;
  st[1].final = false;
  st[2].kind = CompositeKind::Struct;
  st[2].super = 1;
  st[3].kind = CompositeKind::Array;
  auto idx = [](uint32_t i) { return ref(H::Index, false, i); };
  EXPECT_TRUE(is_subtype(idx(0), ref(H::Func), m));
  EXPECT_FALSE(is_subtype(idx(0), ref(H::Any), m));
  EXPECT_TRUE(is_subtype(idx(2), idx(1), m));
  EXPECT_FALSE(is_subtype(idx(1), idx(2), m));
  EXPECT_TRUE(is_subtype(idx(2), ref(H::Struct), m));
  EXPECT_TRUE(is_subtype(idx(2), ref(H::Eq), m));
  EXPECT_TRUE(is_subtype(idx(3), ref(H::Array), m));
  EXPECT_FALSE(is_subtype(idx(3), ref(H::Struct), m));
  EXPECT_TRUE(is_subtype(ref(H::None), idx(2), m));
  EXPECT_TRUE(is_subtype(ref(H::NoFunc), idx(0), m));
  EXPECT_FALSE(is_subtype(ref(H::NoFunc), idx(1), m));
  EXPECT_FALSE(is_subtype(ref(H::Struct), idx(1), m));
}

TEST(Subtyping, TwoPointOModulesNeedNoTypeInfo) {
  Module m;
  m.types.resize(3);
  SubType s = m.subtype(2);
  EXPECT_EQ(s.rec_group, 2u);
  EXPECT_TRUE(s.final);
  EXPECT_EQ(s.super, SubType::kNoSuper);
  EXPECT_EQ(m.hierarchy, nullptr);
}

// A function type whose parameter is (ref null func), 0x63 0x70: the
// decoder says what it lacks instead of "malformed value type".
TEST(Types, TypedReferencesAreNotSupportedYet) {
  std::vector<uint8_t> b = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
                            0x01, 0x06, 0x01, 0x60, 0x01, 0x63, 0x70, 0x00};
  auto m = decode(std::move(b));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "typed function references not supported yet");
}

// The GC forms of the type section: known, not decoded yet.
TEST(Types, GcTypeFormsAreNotSupportedYet) {
  auto msg = [](uint8_t form) {
    std::vector<uint8_t> b = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
                              0x01, 0x04, 0x01, form, 0x00, 0x00};
    auto m = decode(std::move(b));
    return m.ok() ? std::string("ok") : m.error().message;
  };
  EXPECT_EQ(msg(0x4E), "recursive type groups (GC) not supported yet");
  EXPECT_EQ(msg(0x50), "subtypes (GC) not supported yet");
  EXPECT_EQ(msg(0x4F), "subtypes (GC) not supported yet");
  EXPECT_EQ(msg(0x5F), "struct and array types (GC) not supported yet");
  EXPECT_EQ(msg(0x5E), "struct and array types (GC) not supported yet");
  EXPECT_EQ(msg(0x61), "malformed function type");
}

}  // namespace
}  // namespace wisp
