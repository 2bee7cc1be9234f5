// The component decoder: each case a component built byte by byte (the
// binary format as Binary.md writes it) and what decoding must give.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "runtime/component/decoder.hpp"

namespace wisp::component {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes str(const std::string& s) {
  Bytes out{uint8_t(s.size())};
  out.insert(out.end(), s.begin(), s.end());
  return out;
}
// A section: id, size, contents.
Bytes section(uint8_t id, const Bytes& body) { return cat({{id, uint8_t(body.size())}, body}); }
Bytes component(std::initializer_list<Bytes> sections) {
  Bytes out{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}
const Bytes kEmptyModule = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

std::string error_of(const Bytes& b) {
  auto r = decode(b.data(), b.size());
  if (r.ok()) return "ok";
  return r.error().message + " @" + std::to_string(r.error().offset);
}

TEST(ComponentDecoder, TellsComponentsFromModules) {
  EXPECT_TRUE(is_component(component({}).data(), 8));
  EXPECT_FALSE(is_component(kEmptyModule.data(), kEmptyModule.size()));
  EXPECT_EQ(error_of(component({})), "ok");
}

// (component (type (func (param "x" u32) (result string))) (import "f" (func (type 0))) (export "g" (func 0)))
TEST(ComponentDecoder, ATypeAnImportAndAnExport) {
  const Bytes b = component({
      section(7, cat({{0x01, 0x40, 0x01}, str("x"), {0x79, 0x00, 0x73}})),
      section(10, cat({{0x01, 0x00}, str("f"), {0x01, 0x00}})),
      section(11, cat({{0x01, 0x00}, str("g"), {0x01, 0x00, 0x00}})),
  });
  auto r = decode(b.data(), b.size());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Component& c = *r.value();
  ASSERT_EQ(c.imports().size(), 1u);
  EXPECT_EQ(c.imports()[0]->name, "f");
  EXPECT_EQ(c.imports()[0]->type.kind, ExternKind::Func);
  ASSERT_EQ(c.exports().size(), 1u);
  EXPECT_EQ(c.exports()[0]->name, "g");
  EXPECT_EQ(c.count[unsigned(Sort::Func)], 2u);  // the import, and the export's new index
  const Type* ft = c.type(0);
  ASSERT_NE(ft, nullptr);
  EXPECT_EQ(ft->kind, Type::Func);
  ASSERT_EQ(ft->fields.size(), 1u);
  EXPECT_EQ(ft->fields[0].name, "x");
  EXPECT_EQ(ft->fields[0].type.prim, Prim::U32);
  ASSERT_TRUE(ft->result.has_value());
  EXPECT_EQ(ft->result->prim, Prim::String);
}

TEST(ComponentDecoder, AnIndexMustReferToSomethingBefore) {
  // (import "f" (func (type 0))) with no type 0
  EXPECT_EQ(error_of(component({section(10, cat({{0x01, 0x00}, str("f"), {0x01, 0x00}}))})),
            "unknown type 0 @15");
  // (export "g" (func 3)) with no functions
  EXPECT_EQ(error_of(component({section(11, cat({{0x01, 0x00}, str("g"), {0x01, 0x03, 0x00}}))})),
            "unknown func 3 @15");
}

TEST(ComponentDecoder, NamesAreUnique) {
  const Bytes t = section(7, {0x01, 0x40, 0x00, 0x01, 0x00});  // (type (func))
  const Bytes imp = cat({{0x00}, str("f"), {0x01, 0x00}});
  EXPECT_EQ(error_of(component({t, section(10, cat({{0x02}, imp, imp}))})), "duplicate import name `f` @23");
}

TEST(ComponentDecoder, MalformedInputNamesWhereAndWhat) {
  Bytes b = component({section(7, {0x01, 0x40, 0x00, 0x01, 0x00})});
  b.pop_back();
  EXPECT_EQ(error_of(b), "length out of bounds @9");  // the section's size
  EXPECT_EQ(error_of(component({section(13, {})})), "malformed section id 13 @8");
  EXPECT_EQ(error_of(component({section(7, {0x01, 0x50})})), "malformed type @11");
  EXPECT_EQ(error_of(component({section(7, {0x01, 0x70, 0x50})})), "malformed value type @12");
  EXPECT_EQ(error_of(component({section(7, {0x01, 0x70, 0x20})})), "unknown type 32 @12");
  // Section ends in the middle of a type: its contents disagree with its size.
  EXPECT_EQ(error_of(component({section(7, {0x01, 0x40, 0x00, 0x01, 0x00, 0x00})})), "section size mismatch @15");
}

TEST(ComponentDecoder, EmbeddedModulesAreValidated) {
  EXPECT_EQ(error_of(component({section(1, kEmptyModule)})), "ok");
  // A module whose type section is cut short.
  const Bytes bad = cat({kEmptyModule, {0x01, 0x05, 0x01, 0x60}});
  EXPECT_EQ(error_of(component({section(1, bad)})).substr(0, 12), "core module:");
}

TEST(ComponentDecoder, NestedComponentsAndOuterAliases) {
  // (component (type (func)) (component (alias outer 1 0 (type))) )
  const Bytes inner = component({section(6, {0x01, 0x03, 0x02, 0x01, 0x00})});
  const Bytes b = component({section(7, {0x01, 0x40, 0x00, 0x01, 0x00}), section(4, inner)});
  auto r = decode(b.data(), b.size());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value()->count[unsigned(Sort::Component)], 1u);
  // outer 2: beyond the enclosing component
  const Bytes bad_inner = component({section(6, {0x01, 0x03, 0x02, 0x02, 0x00})});
  EXPECT_EQ(error_of(component({section(7, {0x01, 0x40, 0x00, 0x01, 0x00}), section(4, bad_inner)})),
            "outer alias count out of range @30");
}

// A component made by jco from a C program (the test is skipped when the
// file is absent: scripts/make-test-components.sh writes it).
TEST(ComponentDecoder, AWasiCommandFromJco) {
  const char* path = getenv("WISP_TEST_COMPONENT");
  if (!path) GTEST_SKIP() << "WISP_TEST_COMPONENT not set";
  FILE* f = fopen(path, "rb");
  ASSERT_NE(f, nullptr);
  Bytes b;
  int ch;
  while ((ch = fgetc(f)) != EOF) b.push_back(uint8_t(ch));
  fclose(f);
  auto r = decode(b.data(), b.size());
  ASSERT_TRUE(r.ok()) << r.error().message << " @" << r.error().offset;
  bool run = false;
  for (const Export* e : r.value()->exports()) run |= e->name.rfind("wasi:cli/run@0.2", 0) == 0;
  EXPECT_TRUE(run);
}

}  // namespace
}  // namespace wisp::component
