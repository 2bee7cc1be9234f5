// Function bodies validated on several threads (ValidateOptions): the same
// side table, the same per-function results and, for an invalid module, the
// same error as the sequential pass (the lowest-index invalid function's).
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "runtime/api/wisp.hpp"
#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/valid/decoder.hpp"

namespace wisp {
namespace {

// n functions with loops, br_if, br_table, if/else and locals; `reps` of
// the branchy part per function (so some functions are larger than
// others). Function i is invalid if it is in `bad`, each with a message of
// its own kind, chosen by i % 3.
std::vector<uint8_t> make_module(uint32_t n, uint32_t reps, const std::set<uint32_t>& bad = {}) {
  std::string w = "(module (memory 1) (table 1 funcref)\n";
  for (uint32_t i = 0; i < n; ++i) {
    w += "(func (param i32) (result i32) (local i64 f64 v128)\n";
    for (uint32_t r = 0; r < 1 + (i * 7 + r) % reps; ++r) {
      w += R"(
  loop
    local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0
  end
  block block block
    local.get 0
    br_table 0 1 2 0
  end end end
  local.get 0 i32.load offset=8
  drop)";
    }
    w += R"(
  block (result i32)
    local.get 0
    if (result i32) i32.const 1 else i32.const 2 end
    local.get 0
    br_if 0
)";
    if (bad.count(i)) {
      switch (i % 3) {
        case 0: w += "    i64.const 5 i32.add\n"; break;        // type mismatch
        case 1: w += "    local.get 99 drop\n"; break;          // unknown local 99
        case 2: w += "    i32.load align=8 i32.add\n"; break;  // alignment
      }
    } else {
      w += "    i32.const " + std::to_string(i) + " i32.add\n";
    }
    w += "  end)\n";
  }
  w += ")";
  auto b = text::parse_wat(w);
  EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
  return b.ok() ? std::move(*b) : std::vector<uint8_t>{};
}

struct Outcome {
  Module m;
  Status s = ok_status();
};

Outcome run(const std::vector<uint8_t>& bytes, const ValidateOptions* opts) {
  Outcome o;
  auto m = decode_borrowed(bytes.data(), bytes.size());
  EXPECT_TRUE(m.ok());
  o.m = std::move(*m);
  o.s = opts ? validate(o.m, *opts) : validate(o.m);
  return o;
}

ValidateOptions sequential() {
  ValidateOptions o;
  o.threads = 1;
  return o;
}
ValidateOptions parallel(unsigned threads, size_t chunk_bytes) {
  ValidateOptions o;
  o.threads = threads;
  o.parallel_min_bytes = 0;
  o.chunk_bytes = chunk_bytes;
  return o;
}

void expect_same_valid(const Outcome& a, const Outcome& b) {
  ASSERT_TRUE(a.s.ok()) << a.s.error().message;
  ASSERT_TRUE(b.s.ok()) << b.s.error().message;
  EXPECT_TRUE(b.m.validated);
  ASSERT_EQ(a.m.side_table.size(), b.m.side_table.size());
  EXPECT_EQ(0, std::memcmp(a.m.side_table.data(), b.m.side_table.data(),
                           a.m.side_table.size() * sizeof(SideEntry)));
  ASSERT_EQ(a.m.funcs.size(), b.m.funcs.size());
  for (size_t i = 0; i < a.m.funcs.size(); ++i) {
    const Function &x = a.m.funcs[i], &y = b.m.funcs[i];
    EXPECT_EQ(x.side_table, y.side_table) << i;
    EXPECT_EQ(x.code_offset, y.code_offset) << i;
    EXPECT_EQ(x.num_locals, y.num_locals) << i;
    EXPECT_EQ(x.max_height, y.max_height) << i;
    EXPECT_EQ(x.uses_v128, y.uses_v128) << i;
  }
  EXPECT_EQ(a.m.canonical_types, b.m.canonical_types);
}

void expect_same_error(const Outcome& a, const Outcome& b) {
  ASSERT_FALSE(a.s.ok());
  ASSERT_FALSE(b.s.ok());
  EXPECT_FALSE(b.m.validated);
  EXPECT_TRUE(b.m.side_table.empty());
  const Error &x = a.s.error(), &y = b.s.error();
  EXPECT_EQ(x.message, y.message);
  EXPECT_EQ(x.kind, y.kind);
  EXPECT_EQ(x.offset, y.offset);
  EXPECT_EQ(x.func, y.func);
}

TEST(ValidateParallel, SameSideTableAndFunctions) {
  const auto bytes = make_module(300, 6);
  ValidateOptions seq = sequential();
  Outcome want = run(bytes, &seq);
  ASSERT_GT(want.m.side_table.size(), 1000u);
  for (unsigned threads : {2u, 3u, 8u})
    for (size_t chunk : {size_t(1), size_t(200), size_t(4096), size_t(1) << 20}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", chunk " + std::to_string(chunk));
      ValidateOptions par = parallel(threads, chunk);
      expect_same_valid(want, run(bytes, &par));
    }
}

TEST(ValidateParallel, LowestIndexErrorWins) {
  // Each set: the lowest index decides; the others fail too, elsewhere.
  for (const std::set<uint32_t>& bad : std::vector<std::set<uint32_t>>{
           {0}, {1}, {2}, {299}, {3, 4, 5}, {250, 7}, {151, 20, 299}, {100, 101}}) {
    const auto bytes = make_module(300, 4, bad);
    ValidateOptions seq = sequential();
    Outcome want = run(bytes, &seq);
    ASSERT_FALSE(want.s.ok());
    EXPECT_EQ(want.s.error().func, int64_t(*bad.begin()));
    // Repeated, so that the threads finish in different orders.
    for (int rep = 0; rep < 20; ++rep)
      for (size_t chunk : {size_t(1), size_t(300), size_t(5000)}) {
        SCOPED_TRACE("first bad " + std::to_string(*bad.begin()) + ", chunk " +
                     std::to_string(chunk));
        ValidateOptions par = parallel(2 + rep % 3, chunk);
        expect_same_error(want, run(bytes, &par));
      }
  }
}

TEST(ValidateParallel, MalformedBodyAfterInvalidOneStillWins) {
  // Function 3 is invalid; function 40's body has an illegal opcode. The
  // decode-then-validate order makes the malformation the error, however
  // the bodies were split.
  auto bytes = make_module(60, 3, {3});
  Outcome probe = run(bytes, nullptr);
  ASSERT_FALSE(probe.s.ok());
  // The body: 3 runs of one local each (7 bytes), then `loop`.
  const size_t code = probe.m.funcs[40].body_offset + 7;
  ASSERT_EQ(bytes[code], 0x03);
  bytes[code] = 0xFF;  // an opcode that does not exist
  ValidateOptions seq = sequential();
  Outcome want = run(bytes, &seq);
  ASSERT_FALSE(want.s.ok());
  EXPECT_EQ(want.s.error().kind, ErrorKind::Malformed);
  for (size_t chunk : {size_t(1), size_t(700)}) {
    ValidateOptions par = parallel(4, chunk);
    expect_same_error(want, run(bytes, &par));
  }
}

TEST(ValidateParallel, DefaultOptionsOnABigModule) {
  // Above the default parallel_min_bytes (512 KiB of bodies), so validate(m)
  // takes the parallel path when the machine has more than one thread.
  const auto bytes = make_module(1500, 40);
  ASSERT_GT(bytes.size(), ValidateOptions{}.parallel_min_bytes);
  ValidateOptions seq = sequential();
  expect_same_valid(run(bytes, &seq), run(bytes, nullptr));
}

TEST(ValidateParallel, ModuleWithoutBodies) {
  auto b = text::parse_wat(R"((module (func (import "m" "f"))))");
  ASSERT_TRUE(b.ok());
  ValidateOptions par = parallel(4, 1);
  Outcome o = run(*b, &par);
  EXPECT_TRUE(o.s.ok());
  EXPECT_TRUE(o.m.side_table.empty());
}

// The walker's validation-only hook set (no side table, for `wisp
// validate`) gives the same verdict, error and per-function facts as the
// interpreter's, on one thread or several; such a module cannot be
// instantiated.
TEST(ValidateOnly, SameVerdictWithoutASideTable) {
  const auto good = make_module(120, 4);
  ValidateOptions seq = sequential();
  Outcome want = run(good, &seq);
  for (unsigned threads : {1u, 3u}) {
    ValidateOptions o = threads == 1 ? sequential() : parallel(threads, 300);
    o.side_table = false;
    Outcome got = run(good, &o);
    ASSERT_TRUE(got.s.ok()) << got.s.error().message;
    EXPECT_TRUE(got.m.validated);
    EXPECT_FALSE(got.m.side_table_built);
    EXPECT_TRUE(got.m.side_table.empty());
    for (size_t i = 0; i < want.m.funcs.size(); ++i) {
      EXPECT_EQ(want.m.funcs[i].max_height, got.m.funcs[i].max_height) << i;
      EXPECT_EQ(want.m.funcs[i].num_locals, got.m.funcs[i].num_locals) << i;
    }
  }
  for (const std::set<uint32_t>& bad : std::vector<std::set<uint32_t>>{{0}, {61, 7}, {119}}) {
    const auto bytes = make_module(120, 3, bad);
    Outcome with = run(bytes, &seq);
    ValidateOptions o = sequential();
    o.side_table = false;
    expect_same_error(with, run(bytes, &o));
  }
  EXPECT_TRUE(want.m.side_table_built);

  // Valid, but not runnable: the interpreter needs its side table.
  auto m = decode(make_module(3, 1));
  ASSERT_TRUE(m.ok());
  ValidateOptions o;
  o.side_table = false;
  ASSERT_TRUE(validate(*m, o).ok());
  Store store;
  auto inst = store.instantiate(std::make_shared<Module>(std::move(*m)), {});
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().message, "module was validated without the interpreter's side table");
}

}  // namespace
}  // namespace wisp
