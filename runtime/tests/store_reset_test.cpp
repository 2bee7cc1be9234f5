// Store::reset (vm/store.hpp): every instance of the store back to the
// state its instantiation left it in, whatever the guest changed since:
// memory contents and size (with and without a memory image, below and
// past LinearMemory::kResetResidentBytes), globals, tables and their
// size, dropped segments; the start function runs again. Each test
// changes a piece of state, resets, and expects what a new instance reads.
#include <gtest/gtest.h>

#include <string>

#include "runtime/tests/wat_module.hpp"
#include "runtime/vm/memory.hpp"
#include "runtime/vm/memory_image.hpp"

namespace wisp {
namespace {

// (memory 24): 1.5 MiB, so writes land in the image, past it within the
// first kResetResidentBytes, and past those. A 70,000-byte segment at
// 1000 ('a'..'z') gives it an image. The start function counts its runs
// at address 0.
std::string wat() {
  std::string big;
  for (int i = 0; i < 70000; ++i) big += char('a' + i % 26);
  return "(module (memory 24)"
         " (data (i32.const 1000) \"" + big + "\")"
         " (data $p \"passive\")"
         " (global $g (export \"g\") (mut i32) (i32.const 42))"
         " (table $t 2 funcref)"
         " (elem (i32.const 1) $f)"
         " (elem $e func $f)"
         " (func $f (result i32) (i32.const 7))"
         " (func $start (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))"
         " (start $start)"
         " (func (export \"load8\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
         " (func (export \"load\") (param i32) (result i32) (i32.load (local.get 0)))"
         " (func (export \"store8\") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))"
         " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
         " (func (export \"size\") (result i32) (memory.size))"
         " (func (export \"set_g\") (param i32) (global.set $g (local.get 0)))"
         " (func (export \"table_size\") (result i32) (table.size $t))"
         " (func (export \"table_grow\") (result i32) (table.grow $t (ref.func $f) (i32.const 3)))"
         " (func (export \"clear\") (param i32) (table.set $t (local.get 0) (ref.null func)))"
         " (func (export \"call\") (param i32) (result i32) (call_indirect $t (result i32) (local.get 0)))"
         " (func (export \"drop_all\") (data.drop $p) (elem.drop $e))"
         " (func (export \"init\") (memory.init $p (i32.const 100) (i32.const 0) (i32.const 7))"
         "   (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1)))"
         " (elem declare func $f))";
}

uint32_t call(Store& s, Instance* i, const char* name, std::initializer_list<uint32_t> args = {}) {
  std::vector<Value> a;
  for (uint32_t v : args) a.push_back(Value::i32(v));
  CallResult r = s.call(i->func_export(name), a);
  if (auto* t = std::get_if<Trap>(&r)) {
    ADD_FAILURE() << name << " trapped: " << t->message;
    return 0xdead;
  }
  auto& v = std::get<std::vector<Value>>(r);
  return v.empty() ? 0 : v[0].bits.u32;
}

bool traps(Store& s, Instance* i, const char* name, std::initializer_list<uint32_t> args = {}) {
  std::vector<Value> a;
  for (uint32_t v : args) a.push_back(Value::i32(v));
  return std::holds_alternative<Trap>(s.call(i->func_export(name), a));
}

// What a new instance of wat() reads.
void expect_new(Store& s, Instance* i) {
  EXPECT_EQ(call(s, i, "load", {0}), 1u);  // the start function ran once
  EXPECT_EQ(call(s, i, "load8", {1000}), uint32_t('a'));
  EXPECT_EQ(call(s, i, "load8", {1000 + 69999}), uint32_t('a' + 69999 % 26));
  EXPECT_EQ(call(s, i, "load8", {200000}), 0u);
  EXPECT_EQ(call(s, i, "load8", {1400000}), 0u);
  EXPECT_EQ(call(s, i, "size"), 24u);
  EXPECT_TRUE(traps(s, i, "load8", {24 * 65536}));
  EXPECT_EQ(i->export_("g")->global()->value.u32, 42u);
  EXPECT_EQ(call(s, i, "table_size"), 2u);
  EXPECT_TRUE(traps(s, i, "call", {0}));  // null
  EXPECT_EQ(call(s, i, "call", {1}), 7u);
}

// Everything wat() lets the guest change, changed.
void change_everything(Store& s, Instance* i) {
  call(s, i, "store8", {1000, 'Z'});      // in the image
  call(s, i, "store8", {200000, 1});      // past it, kept resident
  call(s, i, "store8", {1400000, 2});     // past kResetResidentBytes
  EXPECT_EQ(call(s, i, "grow", {2}), 24u);
  call(s, i, "store8", {24 * 65536 + 5, 3});  // in the grown pages
  call(s, i, "set_g", {5});
  EXPECT_EQ(call(s, i, "table_grow"), 2u);
  call(s, i, "clear", {1});
  call(s, i, "drop_all");
  EXPECT_TRUE(traps(s, i, "init"));  // dropped
}

TEST(StoreReset, AnInstanceReadsAsNewAfterAReset) {
  static_assert(LinearMemory::kResetResidentBytes < 1400000 - 70000 - 1000);
  auto m = test::compile(wat());
  ASSERT_TRUE(m);
  ASSERT_EQ(memory_images(*m).size(), 1u);
  Store s;
  auto inst = s.instantiate(m, {});
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  Instance* i = inst.value();
  expect_new(s, i);
  const uint64_t bytes = s.usage().memory_bytes, elems = s.usage().table_elements;
  for (int round = 0; round < 3; ++round) {
    change_everything(s, i);
    ASSERT_TRUE(s.reset().ok());
    expect_new(s, i);
    EXPECT_EQ(s.usage().memory_bytes, bytes);  // grown pages given back to the limits
    EXPECT_EQ(s.usage().table_elements, elems);
    call(s, i, "init");  // the passive segments are back
    EXPECT_EQ(call(s, i, "load8", {100}), uint32_t('p'));
    EXPECT_EQ(call(s, i, "call", {0}), 7u);
    ASSERT_TRUE(s.reset().ok());
  }
}

TEST(StoreReset, AnImageWrittenAllOverIsDroppedRatherThanCopied) {
  // A 2 MiB image, written on every page: more than kResetResidentBytes
  // to copy back, so reset drops the pages instead (madvise); a few pages
  // written are copied back. Either way it reads as the image.
  static_assert(LinearMemory::kResetResidentBytes < (uint64_t(2) << 20));
  const std::string fill(2 << 20, 'x');
  auto m = test::compile("(module (memory 40) (data (i32.const 0) \"" + fill + "\")"
                         " (func (export \"load8\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
                         " (func (export \"store8\") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))");
  ASSERT_TRUE(m);
  Store s;
  auto inst = s.instantiate(m, {});
  ASSERT_TRUE(inst.ok());
  Instance* i = inst.value();
  for (uint32_t pages : {512u, 3u, 512u}) {
    for (uint32_t p = 0; p < pages; ++p) call(s, i, "store8", {p * 4096 + 7, 'y'});
    ASSERT_TRUE(s.reset().ok());
    for (uint32_t p = 0; p < 512; ++p) ASSERT_EQ(call(s, i, "load8", {p * 4096 + 7}), uint32_t('x')) << p;
  }
}

TEST(StoreReset, CompiledCodeRunsOnAfterAReset) {
  auto m = test::compile(wat());
  ASSERT_TRUE(m);
  StoreConfig cfg;
  cfg.tier = Tier::Jit;
  Store s(cfg);
  auto inst = s.instantiate(m, {});
  ASSERT_TRUE(inst.ok());
  change_everything(s, inst.value());
  EXPECT_GT(s.tier_stats().compiled, 0u);
  ASSERT_TRUE(s.reset().ok());
  expect_new(s, inst.value());
}

TEST(StoreReset, ImportsAreResetFirst) {
  // b writes its segment into a's memory and its element into a's table:
  // a's reset clears both, b's puts them back, in creation order.
  auto a = test::compile(R"((module
    (memory (export "mem") 1) (table (export "tab") 1 funcref)
    (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))))");
  auto b = test::compile(R"((module
    (import "a" "mem" (memory 1)) (import "a" "tab" (table 1 funcref))
    (data (i32.const 10) "b") (elem (i32.const 0) $f)
    (func $f (result i32) (i32.const 9))
    (func (export "call0") (result i32) (call_indirect (result i32) (i32.const 0)))))");
  ASSERT_TRUE(a && b);
  Store s;
  auto ia = s.instantiate(a, {});
  ASSERT_TRUE(ia.ok());
  Extern imports[] = {*ia.value()->export_("mem"), *ia.value()->export_("tab")};
  auto ib = s.instantiate(b, imports);
  ASSERT_TRUE(ib.ok());
  call(s, ia.value(), "store8", {10, 'x'});
  call(s, ia.value(), "store8", {11, 'y'});
  ASSERT_TRUE(s.reset().ok());
  EXPECT_EQ(call(s, ia.value(), "load8", {10}), uint32_t('b'));
  EXPECT_EQ(call(s, ia.value(), "load8", {11}), 0u);
  EXPECT_EQ(call(s, ib.value(), "call0"), 9u);
}

TEST(StoreReset, RefusedWithWhatTheHostMade) {
  Store s;
  ASSERT_TRUE(s.memory(MemoryType{Limits{1, 0, false, false}}).ok());
  auto r = s.reset();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "cannot reset a store with tables or memories the host made");
  Store g;
  g.global(GlobalType{ValType::I32, true}, Value::i32(1));
  EXPECT_FALSE(g.reset().ok());
  Store c;
  c.global(GlobalType{ValType::I32, false}, Value::i32(1));  // immutable: nothing to reset
  EXPECT_TRUE(c.reset().ok());
}

TEST(StoreReset, RefillsTheConfiguredFuel) {
  StoreConfig cfg;
  cfg.fuel = 1000;
  Store s(cfg);
  Instance* i = test::instantiate(s, R"((module (func (export "spin") (loop $l (br $l)))))");
  ASSERT_TRUE(i);
  CallResult r = s.call(i->func_export("spin"), {});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(s.fuel_left(), 0u);
  ASSERT_TRUE(s.reset().ok());
  EXPECT_EQ(s.fuel_left(), 1000u);
}

}  // namespace
}  // namespace wisp
