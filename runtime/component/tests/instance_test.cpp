// Instantiating a component and calling its exports through the canonical
// ABI: a core module (written in WAT) wrapped in a component built byte
// by byte, then each call and what it must give.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/component/decoder.hpp"
#include "runtime/component/instance.hpp"
#include "runtime/text/wat.hpp"

namespace wisp::component {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes leb(uint32_t n) {
  Bytes b;
  do {
    uint8_t x = n & 0x7f;
    n >>= 7;
    b.push_back(uint8_t(x | (n ? 0x80 : 0)));
  } while (n);
  return b;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes name(const std::string& s) { return cat({leb(uint32_t(s.size())), Bytes(s.begin(), s.end())}); }
Bytes section(uint8_t id, const Bytes& body) { return cat({{id}, leb(uint32_t(body.size())), body}); }

const char* kCore = R"((module
  (memory (export "mem") 1)
  (global $bump (mut i32) (i32.const 1024))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; a bump allocator: realloc(old, old_size, align, size); shrinking keeps
  ;; the block where it is
  (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
    (if (i32.and (i32.ne (local.get 0) (i32.const 0)) (i32.le_u (local.get 3) (local.get 1)))
      (then (return (local.get 0))))
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $bump (i32.add (local.get $p) (local.get 3)))
    (local.get $p))
  ;; echo(s) -> s: the (ptr, len) pair written at 512, its address returned
  (func (export "echo") (param i32 i32) (result i32)
    (i32.store (i32.const 512) (local.get 0))
    (i32.store (i32.const 516) (local.get 1))
    (i32.const 512))
  (func (export "bad") (param i32 i32) (result i32)
    (i32.store (i32.const 512) (i32.const 70000))
    (i32.store (i32.const 516) (i32.const 8))
    (i32.const 512))
  (func (export "len") (param i32 i32) (result i32) (local.get 1))
  ;; lone(s) -> a one-unit string holding an unpaired UTF-16 surrogate
  (func (export "lone") (param i32 i32) (result i32)
    (i32.store16 (i32.const 800) (i32.const 0xD800))
    (i32.store (i32.const 512) (i32.const 800))
    (i32.store (i32.const 516) (i32.const 1))
    (i32.const 512))
  (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))
)";

// (component
//   (core module ...) (core instance (instantiate 0))
//   (alias core export 0 "add" (core func)) ... "mem" (core memory)
//   (type (func (param "a" s32) (param "b" s32) (result s32)))      ;; 0
//   (type (func (param "s" string) (result string)))                ;; 1
//   (type (func (param "s" string) (result u32)))                   ;; 2
//   (func (canon lift (core func 0) (type 0)))                      ;; add
//   (func (canon lift (core func 2) (memory 0) (realloc 1) (type 1)));; echo
//   (func (canon lift (core func 3) (memory 0) (realloc 1) (type 1)));; bad
//   (func (canon lift (core func 4) (memory 0) (realloc 1) (type 2)));; len
//   (func (canon lift (core func 5) (type 0)))                      ;; div
//   (export "add" (func 0)) ... )
Bytes component() {
  auto core = text::parse_wat(kCore, {});
  EXPECT_TRUE(core.ok());
  const Bytes& m = core.value();
  auto core_func = [](uint32_t inst, const std::string& n) { return cat({{0x00, 0x00, 0x01}, leb(inst), name(n)}); };
  const Bytes lift_opts = {0x02, 0x03, 0x00, 0x04, 0x01};  // (memory 0) (realloc 1)
  Bytes c = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  c = cat({c, section(1, m), section(2, {0x01, 0x00, 0x00, 0x00}),
           section(6, cat({{0x07}, core_func(0, "add"), core_func(0, "realloc"), core_func(0, "echo"),
                           core_func(0, "bad"), core_func(0, "len"), core_func(0, "div"),
                           {0x00, 0x02, 0x01, 0x00}, name("mem")})),
           section(7, cat({{0x03, 0x40, 0x02}, name("a"), {0x7a}, name("b"), {0x7a, 0x00, 0x7a},
                           {0x40, 0x01}, name("s"), {0x73, 0x00, 0x73},
                           {0x40, 0x01}, name("s"), {0x73, 0x00, 0x79}})),
           section(8, cat({{0x05}, {0x00, 0x00, 0x00, 0x00, 0x00},
                           {0x00, 0x00, 0x02}, lift_opts, {0x01},
                           {0x00, 0x00, 0x03}, lift_opts, {0x01},
                           {0x00, 0x00, 0x04}, lift_opts, {0x02},
                           {0x00, 0x00, 0x05, 0x00, 0x00}})),
           section(11, cat({{0x05}, {0x00}, name("add"), {0x01, 0x00, 0x00},
                            {0x00}, name("echo"), {0x01, 0x01, 0x00},
                            {0x00}, name("bad"), {0x01, 0x02, 0x00},
                            {0x00}, name("len"), {0x01, 0x03, 0x00},
                            {0x00}, name("div"), {0x01, 0x04, 0x00}}))});
  return c;
}

class ComponentCalls : public ::testing::Test {
 protected:
  void SetUp() override {
    bytes_ = component();
    auto c = decode(bytes_.data(), bytes_.size());
    ASSERT_TRUE(c.ok()) << c.error().message << " @" << c.error().offset;
    auto inst = ComponentInstance::create(store_, c.value());
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    inst_ = std::move(inst.value());
  }
  // Calls `fn` with WAVE arguments; the WAVE result, or the error.
  std::string call(const char* fn, const char* args) {
    const LiftedFunc* f = inst_->func(fn);
    if (!f) return "no export";
    std::vector<ValType> params;
    for (const Field& p : f->type->fields) params.push_back(p.type);
    auto vals = parse_wave_list(args, params, *f->types);
    if (!vals.ok()) return "bad arguments: " + vals.error().message;
    auto r = inst_->call(*f, vals.value());
    if (!r.ok()) return "error: " + r.error().message;
    return r.value().empty() ? "" : to_wave(r.value()[0], *f->type->result, *f->types);
  }
  Store store_;
  Bytes bytes_;
  std::unique_ptr<ComponentInstance> inst_;
};

TEST_F(ComponentCalls, NumbersGoInAndComeOutFlat) {
  EXPECT_EQ(call("add", "2, 40"), "42");
  EXPECT_EQ(call("add", "-5, 3"), "-2");
  EXPECT_EQ(call("div", "7, 2"), "3");
}

TEST_F(ComponentCalls, StringsGoThroughMemory) {
  EXPECT_EQ(call("echo", "\"h\xc3\xa9llo\""), "\"h\xc3\xa9llo\"");
  EXPECT_EQ(call("echo", "\"\""), "\"\"");
  EXPECT_EQ(call("len", "\"abc\""), "3");
}

TEST_F(ComponentCalls, BrokenRulesAndTrapsAreErrors) {
  EXPECT_EQ(call("bad", "\"x\""), "error: component function `bad`: pointer out of bounds of memory");
  EXPECT_EQ(call("div", "1, 0"), "error: integer divide by zero");
  EXPECT_EQ(call("add", "1"), "bad arguments: expected `,`");
  // The store is still usable.
  EXPECT_EQ(call("add", "1, 1"), "2");
}

// echo, len and lone lifted with (string-encoding=E): 0x00 utf8, 0x01
// utf16, 0x02 latin1+utf16. The core side returns what it was given, so a
// string makes the round trip through the encoding; len shows the (tagged)
// length in code units the host wrote.
std::string encoded_call(uint8_t encoding, const char* fn, const char* arg) {
  auto core = text::parse_wat(kCore, {});
  EXPECT_TRUE(core.ok());
  auto core_func = [](const std::string& n) { return cat({{0x00, 0x00, 0x01, 0x00}, name(n)}); };
  const Bytes opts = {0x03, 0x03, 0x00, 0x04, 0x00, encoding};  // (memory 0) (realloc 0) (string-encoding)
  const Bytes b = cat(
      {{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}, section(1, core.value()),
       section(2, {0x01, 0x00, 0x00, 0x00}),
       section(6, cat({{0x05}, core_func("realloc"), core_func("echo"), core_func("len"), core_func("lone"),
                       {0x00, 0x02, 0x01, 0x00}, name("mem")})),
       section(7, cat({{0x02, 0x40, 0x01}, name("s"), {0x73, 0x00, 0x73}, {0x40, 0x01}, name("s"), {0x73, 0x00, 0x79}})),
       section(8, cat({{0x03}, {0x00, 0x00, 0x01}, opts, {0x00}, {0x00, 0x00, 0x02}, opts, {0x01},
                       {0x00, 0x00, 0x03}, opts, {0x00}})),
       section(11, cat({{0x03}, {0x00}, name("echo"), {0x01, 0x00, 0x00}, {0x00}, name("len"), {0x01, 0x01, 0x00},
                        {0x00}, name("lone"), {0x01, 0x02, 0x00}}))});
  auto c = decode(b.data(), b.size());
  if (!c.ok()) return "decode: " + c.error().message;
  Store store;
  auto inst = ComponentInstance::create(store, c.value());
  if (!inst.ok()) return "link: " + inst.error().message;
  const LiftedFunc* f = inst.value()->func(fn);
  auto vals = parse_wave_list(arg, {f->type->fields[0].type}, *f->types);
  if (!vals.ok()) return "bad arguments";
  auto r = inst.value()->call(*f, vals.value());
  if (!r.ok()) return "error: " + r.error().message;
  return to_wave(r.value()[0], *f->type->result, *f->types);
}

TEST(ComponentStrings, Utf16RoundTripsAndCountsCodeUnits) {
  EXPECT_EQ(encoded_call(0x01, "echo", "\"h\xc3\xa9llo \xf0\x9f\x98\x80\""), "\"h\xc3\xa9llo \xf0\x9f\x98\x80\"");
  EXPECT_EQ(encoded_call(0x01, "len", "\"h\xc3\xa9llo\""), "5");
  EXPECT_EQ(encoded_call(0x01, "len", "\"\xf0\x9f\x98\x80\""), "2");  // a surrogate pair
  EXPECT_EQ(encoded_call(0x01, "echo", "\"\""), "\"\"");
  EXPECT_EQ(encoded_call(0x01, "lone", "\"x\""),
            "error: component function `lone`: string is not valid UTF-16 (an unpaired surrogate)");
}

TEST(ComponentStrings, Latin1WhenItFitsElseTaggedUtf16) {
  EXPECT_EQ(encoded_call(0x02, "echo", "\"caf\xc3\xa9\""), "\"caf\xc3\xa9\"");
  EXPECT_EQ(encoded_call(0x02, "len", "\"caf\xc3\xa9\""), "4");  // Latin-1: one byte each
  EXPECT_EQ(encoded_call(0x02, "echo", "\"\xe2\x9c\x93 ok\""), "\"\xe2\x9c\x93 ok\"");
  EXPECT_EQ(encoded_call(0x02, "len", "\"\xe2\x9c\x93 ok\""), std::to_string((1u << 31) | 4));  // UTF-16, tagged
}

TEST(ComponentStrings, Utf8IsCheckedWhenLifted) {
  EXPECT_EQ(encoded_call(0x00, "echo", "\"h\xc3\xa9\""), "\"h\xc3\xa9\"");
  EXPECT_EQ(encoded_call(0x00, "len", "\"h\xc3\xa9\""), "3");
}

TEST(ComponentInstantiate, ALiftOfACoreFunctionOfAnotherTypeIsALinkError) {
  // (func (canon lift (core func $realloc) (type (func (param "a" s32) (param "b" s32) (result s32)))))
  auto core = text::parse_wat(kCore, {});
  ASSERT_TRUE(core.ok());
  const Bytes b = cat({{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}, section(1, core.value()),
                       section(2, {0x01, 0x00, 0x00, 0x00}),
                       section(6, cat({{0x01, 0x00, 0x00, 0x01, 0x00}, name("realloc")})),
                       section(7, cat({{0x01, 0x40, 0x02}, name("a"), {0x7a}, name("b"), {0x7a, 0x00, 0x7a}})),
                       section(8, {0x01, 0x00, 0x00, 0x00, 0x00, 0x00})});
  auto c = decode(b.data(), b.size());
  ASSERT_TRUE(c.ok()) << c.error().message;
  Store store;
  auto inst = ComponentInstance::create(store, c.value());
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::Link);
  EXPECT_EQ(inst.error().message,
            "canon lift: the core function has type (i32, i32, i32, i32) -> (i32), not (i32, i32) -> (i32)");
}

TEST(ComponentInstantiate, ALiftThatPassesStringsNeedsMemoryAndRealloc) {
  // (func (canon lift (core func $echo) (type (func (param "s" string) (result string)))))
  auto core = text::parse_wat(kCore, {});
  ASSERT_TRUE(core.ok());
  auto build = [&](const Bytes& opts) {
    return cat({{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}, section(1, core.value()),
                section(2, {0x01, 0x00, 0x00, 0x00}),
                section(6, cat({{0x03, 0x00, 0x00, 0x01, 0x00}, name("echo"), {0x00, 0x00, 0x01, 0x00}, name("realloc"),
                                {0x00, 0x02, 0x01, 0x00}, name("mem")})),
                section(7, cat({{0x01, 0x40, 0x01}, name("s"), {0x73, 0x00, 0x73}})),
                section(8, cat({{0x01, 0x00, 0x00, 0x00}, opts, {0x00}}))});
  };
  auto link = [](const Bytes& b) -> std::string {
    auto c = decode(b.data(), b.size());
    if (!c.ok()) return "decode: " + c.error().message;
    Store store;
    auto inst = ComponentInstance::create(store, c.value());
    return inst.ok() ? "ok" : inst.error().message;
  };
  EXPECT_EQ(link(build({0x00})), "canon lift: the `memory` option is required");
  EXPECT_EQ(link(build({0x01, 0x03, 0x00})), "canon lift: the `realloc` option is required");
  EXPECT_EQ(link(build({0x02, 0x03, 0x00, 0x04, 0x01})), "ok");
}

TEST(ComponentInstantiate, AnImportTheLinkerLacksIsALinkError) {
  // (component (type (func)) (import "f" (func (type 0))))
  const Bytes b = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00,
                   0x0a, 0x06, 0x01, 0x00, 0x01, 'f', 0x01, 0x00};
  auto c = decode(b.data(), b.size());
  ASSERT_TRUE(c.ok()) << c.error().message;
  Store store;
  auto inst = ComponentInstance::create(store, c.value());
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::Link);
  EXPECT_EQ(inst.error().message, "import `f` is not provided");
}

// Host functions behind `canon lower`: numbers flat, a string argument and
// result through the component's memory (its realloc, a return pointer).
const char* kLibc = R"((module
  (memory (export "mem") 1)
  (global $bump (mut i32) (i32.const 1024))
  (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $bump (i32.add (local.get $p) (local.get 3)))
    (local.get $p)))
)";
const char* kUser = R"((module
  (import "host" "double" (func $d (param i32) (result i32)))
  (import "host" "greet" (func $g (param i32 i32 i32)))
  (import "libc" "mem" (memory 1))
  (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0))))
  (func (export "hello") (param i32 i32) (result i32)
    (call $g (local.get 0) (local.get 1) (i32.const 600)) (i32.const 600)))
)";

Bytes importing_component() {
  auto libc = text::parse_wat(kLibc, {});
  auto user = text::parse_wat(kUser, {});
  EXPECT_TRUE(libc.ok() && user.ok());
  auto core_alias = [](uint8_t sort, uint32_t inst, const std::string& n) {
    return cat({{0x00, sort, 0x01}, leb(inst), name(n)});
  };
  const Bytes opts = {0x02, 0x03, 0x00, 0x04, 0x00};  // (memory 0) (realloc 0)
  return cat({
      {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00},
      // (type (func (param "x" u32) (result u32))) (type (func (param "name" string) (result string)))
      section(7, cat({{0x02, 0x40, 0x01}, name("x"), {0x79, 0x00, 0x79}, {0x40, 0x01}, name("name"),
                      {0x73, 0x00, 0x73}})),
      // (import "double" (func (type 0))) (import "greet" (func (type 1)))
      section(10, cat({{0x02, 0x00}, name("double"), {0x01, 0x00}, {0x00}, name("greet"), {0x01, 0x01}})),
      section(1, libc.value()),
      section(2, {0x01, 0x00, 0x00, 0x00}),  // core instance 0: libc
      section(6, cat({{0x02}, core_alias(0x02, 0, "mem"), core_alias(0x00, 0, "realloc")})),
      // core func 1 = lower double; core func 2 = lower greet (memory 0) (realloc 0)
      section(8, cat({{0x02, 0x01, 0x00, 0x00, 0x00}, {0x01, 0x00, 0x01}, opts})),
      // core instance 1: (export "double" (func 1)) (export "greet" (func 2))
      section(2, cat({{0x01, 0x01, 0x02}, name("double"), {0x00, 0x01}, name("greet"), {0x00, 0x02}})),
      section(1, user.value()),
      // core instance 2: instantiate module 1 with "host" instance 1, "libc" instance 0
      section(2, cat({{0x01, 0x00, 0x01, 0x02}, name("host"), {0x12, 0x01}, name("libc"), {0x12, 0x00}})),
      section(6, cat({{0x02}, core_alias(0x00, 2, "quad"), core_alias(0x00, 2, "hello")})),
      // func 2 = lift core func 3 (type 0); func 3 = lift core func 4 (memory 0) (realloc 0) (type 1)
      section(8, cat({{0x02, 0x00, 0x00, 0x03, 0x00, 0x00}, {0x00, 0x00, 0x04}, opts, {0x01}})),
      section(11, cat({{0x02, 0x00}, name("quad"), {0x01, 0x02, 0x00}, {0x00}, name("hello"), {0x01, 0x03, 0x00}})),
  });
}

TEST(ComponentInstantiate, ImportsAreHostFunctionsCalledThroughTheAbi) {
  const Bytes b = importing_component();
  auto c = decode(b.data(), b.size());
  ASSERT_TRUE(c.ok()) << c.error().message << " @" << c.error().offset;
  ComponentLinker linker;
  linker.define("double", [](const std::vector<Value>& args) -> Result<std::vector<Value>> {
    Value v = args.at(0);
    v.bits *= 2;
    return std::vector<Value>{v};
  });
  linker.define("greet", [](const std::vector<Value>& args) -> Result<std::vector<Value>> {
    if (args.at(0).text.empty()) return make_error(ErrorKind::Other, "no name");
    Value v;
    v.kind = Value::String;
    v.text = "hello, " + args.at(0).text;
    return std::vector<Value>{v};
  });
  Store store;
  auto inst = ComponentInstance::create(store, c.value(), &linker);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  const LiftedFunc* quad = inst.value()->func("quad");
  const LiftedFunc* hello = inst.value()->func("hello");
  ASSERT_TRUE(quad && hello);
  Value five;
  five.kind = Value::U32;
  five.bits = 5;
  auto r = inst.value()->call(*quad, {five});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).bits, 20u);
  Value who;
  who.kind = Value::String;
  who.text = "wisp";
  r = inst.value()->call(*hello, {who});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).text, "hello, wisp");
  // A host error traps the caller, with the import's name.
  who.text = "";
  r = inst.value()->call(*hello, {who});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("import `greet`: no name"), std::string::npos) << r.error().message;
}

TEST(ComponentInstantiate, AnInstanceCacheGivesTheSameInstancesFaster) {
  const Bytes b = importing_component();
  auto c = decode(b.data(), b.size());
  ASSERT_TRUE(c.ok());
  ComponentLinker doubling, tripling;
  doubling.define("double", [](const std::vector<Value>& a) -> Result<std::vector<Value>> {
    Value v = a.at(0);
    v.bits *= 2;
    return std::vector<Value>{v};
  });
  tripling.define("double", [](const std::vector<Value>& a) -> Result<std::vector<Value>> {
    Value v = a.at(0);
    v.bits *= 3;
    return std::vector<Value>{v};
  });
  for (ComponentLinker* l : {&doubling, &tripling})
    l->define("greet", [](const std::vector<Value>& a) -> Result<std::vector<Value>> { return a; });
  InstanceCache cache;
  Value five;
  five.kind = Value::U32;
  five.bits = 5;
  // The same linker: the second and third instances come from the cache;
  // another linker: the cache starts over (its host functions, not the old).
  for (auto [linker, want] : {std::pair{&doubling, 20u}, {&doubling, 20u}, {&doubling, 20u}, {&tripling, 45u}}) {
    Store store;
    auto inst = ComponentInstance::create(store, c.value(), linker, &cache);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    auto r = inst.value()->call("quad", {five});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().at(0).bits, want);
  }
}

TEST(ComponentInstantiate, AHostFunctionMayNotReenterTheComponentThatCalledIt) {
  const Bytes b = importing_component();
  auto c = decode(b.data(), b.size());
  ASSERT_TRUE(c.ok());
  ComponentLinker linker;
  ComponentInstance* self = nullptr;
  std::string inner;
  // double calls back into the component's own quad.
  linker.define("double", [&](const std::vector<Value>& args) -> Result<std::vector<Value>> {
    auto r = self->call(*self->func("quad"), args);
    if (!r.ok()) inner = r.error().message;
    return r.ok() ? r : Result<std::vector<Value>>(r.error());
  });
  linker.define("greet", [](const std::vector<Value>& args) -> Result<std::vector<Value>> { return args; });
  Store store;
  auto inst = ComponentInstance::create(store, c.value(), &linker);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  self = inst.value().get();
  Value five;
  five.kind = Value::U32;
  five.bits = 5;
  auto r = self->call(*self->func("quad"), {five});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(inner, "component function `quad`: its instance is already running an export (reentrance)");
  EXPECT_NE(r.error().message.find("import `double`"), std::string::npos) << r.error().message;
  // Once the outer call is over, the instance can be entered again: the
  // outer call runs, and the inner one is refused again.
  inner.clear();
  r = self->call(*self->func("quad"), {five});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("import `double`"), std::string::npos) << r.error().message;
  EXPECT_EQ(inner, "component function `quad`: its instance is already running an export (reentrance)");
}


// resources.wat (its binary, made by `jco parse`): handles of the
// component's own resource and of one the host provides.
class ComponentResources : public ::testing::Test {
 protected:
  void SetUp() override {
    FILE* f = fopen(WISP_COMPONENT_TESTS_DIR "/resources.component.wasm", "rb");
    ASSERT_NE(f, nullptr);
    for (int ch; (ch = fgetc(f)) != EOF;) bytes_.push_back(uint8_t(ch));
    fclose(f);
    auto c = decode(bytes_.data(), bytes_.size());
    ASSERT_TRUE(c.ok()) << c.error().message << " @" << c.error().offset;
    // The host's streams: rep 42, write adds x to the rep; drops recorded.
    linker_.define("host:io/streams#open", [](const std::vector<Value>&) -> Result<std::vector<Value>> {
      Value v;
      v.kind = Value::Own;
      v.bits = 42;
      return std::vector<Value>{v};
    });
    linker_.define("host:io/streams#[method]stream.write",
                   [](const std::vector<Value>& a) -> Result<std::vector<Value>> {
                     Value v;
                     v.kind = Value::U32;
                     v.bits = a.at(0).bits + a.at(1).bits;
                     return std::vector<Value>{v};
                   });
    linker_.define("host:io/streams#[resource-drop]stream",
                   [this](const std::vector<Value>& a) -> Result<std::vector<Value>> {
                     dropped_.push_back(uint32_t(a.at(0).bits));
                     return std::vector<Value>{};
                   });
    auto inst = ComponentInstance::create(store_, c.value(), &linker_);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    inst_ = std::move(inst.value());
  }
  Result<std::vector<Value>> call(const char* name, std::vector<Value> args = {}) {
    const LiftedFunc* f = inst_->func(name);
    if (!f) return make_error(ErrorKind::Other, "no export");
    return inst_->call(*f, args);
  }
  static Value u32(uint32_t x) {
    Value v;
    v.kind = Value::U32;
    v.bits = x;
    return v;
  }
  Store store_;
  Bytes bytes_;
  ComponentLinker linker_;
  std::vector<uint32_t> dropped_;
  std::unique_ptr<ComponentInstance> inst_;
};

TEST_F(ComponentResources, OwnHandlesLeaveTheTableBorrowsAreLentForTheCall) {
  auto made = call("make", {u32(7)});
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made.value().at(0).kind, Value::Own);
  EXPECT_EQ(made.value().at(0).bits, 7u);
  EXPECT_EQ(inst_->live_handles(), 0u);  // passed out as own: gone from the table
  Value borrowed = made.value().at(0);
  borrowed.kind = Value::Borrow;
  auto peeked = call("peek", {borrowed});
  ASSERT_TRUE(peeked.ok()) << peeked.error().message;
  EXPECT_EQ(peeked.value().at(0).bits, 7u);
  EXPECT_EQ(inst_->live_handles(), 0u);  // the lent borrow ended with the call
}

TEST_F(ComponentResources, TheComponentsOwnResourceNewRepDrop) {
  auto r = call("check");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).bits, 9u);
  EXPECT_EQ(inst_->live_handles(), 0u);
}

TEST_F(ComponentResources, ABorrowedHandleMustBeDroppedBeforeTheCallReturns) {
  Value s;
  s.kind = Value::Borrow;
  s.bits = 42;
  Value drop;
  drop.kind = Value::Bool;
  drop.bits = 1;
  auto r = call("poke", {s, drop});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).bits, 43u);
  EXPECT_TRUE(dropped_.empty());  // a borrow's drop is not the resource's
  drop.bits = 0;
  r = call("poke", {s, drop});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "component function `poke`: 1 borrowed handle(s) not dropped before it returned");
  EXPECT_EQ(inst_->live_handles(), 0u);
}

TEST_F(ComponentResources, AHostResourceThroughMethodsAndItsDestructor) {
  auto r = call("pipe");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().at(0).bits, 82u);  // rep 42 + 40
  EXPECT_EQ(dropped_, std::vector<uint32_t>{42});
  EXPECT_EQ(inst_->live_handles(), 0u);
}

}  // namespace
}  // namespace wisp::component
