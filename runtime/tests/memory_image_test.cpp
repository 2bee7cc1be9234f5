// Copy-on-write memory images (vm/memory_image.hpp): a module whose data
// segments qualify starts each instance from a mapped image; what one
// instance writes no other sees, and everything reads as the segments say.
#include <gtest/gtest.h>

#include <string>

#include "runtime/tests/wat_module.hpp"
#include "runtime/vm/memory.hpp"
#include "runtime/vm/memory_image.hpp"

namespace wisp {
namespace {

// (memory 4) with a 100,000-byte segment at 1000 ('a'..'z' repeating) and a
// small one at 200,000 ("hi"); load8(addr), store8(addr, v), grow(n),
// init() = memory.init of segment 0 (dropped: traps unless length 0).
std::string wat() {
  std::string big;
  for (int i = 0; i < 100000; ++i) big += char('a' + i % 26);
  return "(module (memory 4)"
         " (data (i32.const 1000) \"" + big + "\")"
         " (data (i32.const 200000) \"hi\")"
         " (func (export \"load8\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
         " (func (export \"store8\") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))"
         " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
         " (func (export \"init\") (param i32) (memory.init 0 (i32.const 0) (i32.const 0) (local.get 0))))";
}

uint32_t load8(Store& s, Instance* i, uint32_t addr) {
  CallResult r = s.call(i->func_export("load8"), {Value::i32(addr)});
  return std::get<std::vector<Value>>(r).at(0).bits.u32;
}

TEST(MemoryImage, ASegmentLargeEnoughMakesAnImage) {
  auto m = test::compile(wat());
  ASSERT_TRUE(m);
  const auto& images = memory_images(*m);
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0]->segments, (std::vector<uint32_t>{0, 1}));
  EXPECT_GE(images[0]->bytes, 200002u);
  // A small module gets none: copying is cheaper.
  auto small = test::compile(R"((module (memory 1) (data (i32.const 0) "x")))");
  ASSERT_TRUE(small);
  EXPECT_TRUE(memory_images(*small).empty());
}

TEST(MemoryImage, InstancesReadTheSegmentsAndWriteOnlyTheirOwnCopy) {
  auto m = test::compile(wat());
  ASSERT_TRUE(m);
  Store s;
  auto a = s.instantiate(m, {});
  auto b = s.instantiate(m, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(load8(s, a.value(), 999), 0u);
  EXPECT_EQ(load8(s, a.value(), 1000), uint32_t('a'));
  EXPECT_EQ(load8(s, a.value(), 1000 + 27), uint32_t('b'));
  EXPECT_EQ(load8(s, a.value(), 200001), uint32_t('i'));
  EXPECT_EQ(load8(s, a.value(), 4 * 65536 - 1), 0u);  // past the image: zero
  s.call(a.value()->func_export("store8"), {Value::i32(1000), Value::i32('Z')});
  s.call(a.value()->func_export("store8"), {Value::i32(250000), Value::i32(7)});
  EXPECT_EQ(load8(s, a.value(), 1000), uint32_t('Z'));
  EXPECT_EQ(load8(s, b.value(), 1000), uint32_t('a'));  // b still sees the image
  EXPECT_EQ(load8(s, b.value(), 250000), 0u);
  // Growing keeps the contents; the new pages are zero.
  CallResult g = s.call(a.value()->func_export("grow"), {Value::i32(1)});
  EXPECT_EQ(std::get<std::vector<Value>>(g).at(0).bits.u32, 4u);
  EXPECT_EQ(load8(s, a.value(), 1000), uint32_t('Z'));
  EXPECT_EQ(load8(s, a.value(), 4 * 65536 + 5), 0u);
  // The segments were applied, so they are dropped: memory.init of a
  // nonzero length traps, of zero does not.
  EXPECT_TRUE(std::holds_alternative<Trap>(s.call(a.value()->func_export("init"), {Value::i32(1)})));
  EXPECT_FALSE(std::holds_alternative<Trap>(s.call(a.value()->func_export("init"), {Value::i32(0)})));
}

TEST(MemoryImage, AReusedReservationComesBackZero) {
  LinearMemory::configure_reservation_cache(4, 1 << 20);
  auto m = test::compile(wat());
  ASSERT_TRUE(m);
  auto plain = test::compile("(module (memory 4) (func (export \"load8\") (param i32) (result i32)"
                             " (i32.load8_u (local.get 0))))");
  ASSERT_TRUE(plain);
  for (int round = 0; round < 3; ++round) {
    {
      Store s;
      auto a = s.instantiate(m, {});
      ASSERT_TRUE(a.ok());
      s.call(a.value()->func_export("store8"), {Value::i32(5000), Value::i32(9)});
    }
    // Whatever reservation comes back next holds neither the image nor the write.
    Store s;
    auto p = s.instantiate(plain, {});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(load8(s, p.value(), 1000), 0u);
    EXPECT_EQ(load8(s, p.value(), 5000), 0u);
  }
  LinearMemory::configure_reservation_cache(8, uint64_t(2) << 20);
}

}  // namespace
}  // namespace wisp
