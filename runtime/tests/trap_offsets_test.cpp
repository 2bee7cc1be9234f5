// A trap's backtrace gives each frame's instruction by the offset of its
// first byte in the module, as wasm-objdump -d and node do, in every tier:
// the trapping load, and the call that led to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "runtime/tests/wat_module.hpp"

namespace wisp {
namespace {

int64_t find(const Module& m, std::vector<uint8_t> seq) {
  const uint8_t* at = std::search(m.bytes, m.bytes + m.size, seq.begin(), seq.end());
  EXPECT_NE(at, m.bytes + m.size);
  return int64_t(at - m.bytes);
}

TEST(TrapOffsets, EachFrameAtItsInstructionsFirstByte) {
  auto m = test::compile(R"((module (memory 0)
    (func $inner (drop (i32.load offset=1000 (i32.const 0))))
    (func (export "outer") (call $inner))))");
  ASSERT_TRUE(m);
  const int64_t load = find(*m, {0x28, 0x02, 0xE8, 0x07});  // i32.load align=2 offset=1000
  const int64_t call = find(*m, {0x10, 0x00, 0x0B});         // call 0, end
  for (Tier tier : {Tier::Interp, Tier::Jit, Tier::Auto}) {
    StoreConfig cfg;
    cfg.tier = tier;
    Store s(cfg);
    auto inst = s.instantiate(m, {});
    ASSERT_TRUE(inst.ok());
    CallResult r = s.call(inst.value()->func_export("outer"), {});
    auto* t = std::get_if<Trap>(&r);
    ASSERT_TRUE(t);
    ASSERT_EQ(t->backtrace.size(), 2u);
    EXPECT_EQ(t->backtrace[0].offset, load) << int(tier);
    EXPECT_EQ(t->backtrace[1].offset, call) << int(tier);
  }
}

}  // namespace
}  // namespace wisp
