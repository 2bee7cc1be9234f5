// The side table the validator emits for the interpreter, checked against
// entries worked out by hand from the bytes; and canonical type ids.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/text/wat.hpp"
#include "runtime/valid/validator.hpp"
#include "runtime/valid/decoder.hpp"

namespace wisp {
namespace {

struct Compiled {
  Module m;
  std::string code_hex;                 // instructions of function `f`, final end included
  std::vector<SideEntry> entries;       // its side-table entries
  const Function* fn = nullptr;
};

std::string hex(const uint8_t* p, size_t n) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < n; ++i) {
    snprintf(buf, sizeof buf, "%02x", p[i]);
    if (i) s += ' ';
    s += buf;
  }
  return s;
}

Compiled compile(std::string_view wat, uint32_t f = 0) {
  Compiled c;
  auto b = text::parse_wat(wat);
  EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
  if (!b.ok()) return c;
  auto m = decode(std::move(*b));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  if (!m.ok()) return c;
  c.m = std::move(*m);
  Status s = validate(c.m);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s.ok() || f >= c.m.funcs.size()) return c;
  c.fn = &c.m.funcs[f];
  uint32_t end = c.fn->body_offset + c.fn->body_size;
  c.code_hex = hex(c.m.bytes + c.fn->code_offset, end - c.fn->code_offset);
  uint32_t first = c.fn->side_table;
  uint32_t last = f + 1 < c.m.funcs.size() ? c.m.funcs[f + 1].side_table : uint32_t(c.m.side_table.size());
  c.entries.assign(c.m.side_table.begin() + first, c.m.side_table.begin() + last);
  return c;
}

// "pc_delta stp_delta keep drop", one entry per string.
std::vector<std::string> entries(const Compiled& c) {
  std::vector<std::string> out;
  for (const SideEntry& e : c.entries)
    out.push_back(std::to_string(e.pc_delta) + " " + std::to_string(e.stp_delta) + " " +
                  std::to_string(e.keep) + " " + std::to_string(e.drop));
  return out;
}
using Entries = std::vector<std::string>;

TEST(SideTable, BrToBlockEnd) {
  Compiled c = compile(R"((func (result i32)
      i32.const 1            ;; 0
      block (result i32)     ;; 2   height 1 below the block
        i32.const 2          ;; 4
        i32.const 3          ;; 6
        br 0                 ;; 8   -> 11, keep 3, drop 2
      end                    ;; 10
      i32.add                ;; 11
    ))");
  ASSERT_EQ(c.code_hex, "41 01 02 7f 41 02 41 03 0c 00 0b 6a 0b");
  // Target: just past the block's end (11 - 8 = 3); side table continues
  // at entry 1; keep the block's one result, drop the 2 (height 3 minus
  // the kept value minus the 1 value below the block).
  EXPECT_EQ(entries(c), (Entries{"3 1 1 1"}));
  EXPECT_EQ(c.fn->max_height, 3u);
  EXPECT_EQ(c.fn->num_locals, 0u);
}

TEST(SideTable, BrToLoop) {
  Compiled c = compile(R"((func (param i32) (result i32)
      local.get 0            ;; 0
      loop (param i32) (result i32)  ;; 2 (type 0, the function's), body at 4
        i32.const 9          ;; 4   extra value, dropped by the branch
        i32.const 1          ;; 6
        i32.sub              ;; 8
        local.tee 0          ;; 9
        local.get 0          ;; 11
        br_if 0              ;; 13  -> 4, keep 1 (the loop's param), drop 1
        drop                 ;; 15
      end                    ;; 16
    ))");
  ASSERT_EQ(c.code_hex, "20 00 03 00 41 09 41 01 6b 22 00 20 00 0d 00 1a 0b 0b");
  // A loop's label is its start: pc 4 - 13 = -9, the side table back to
  // the loop's first entry (this one, so 0).
  EXPECT_EQ(entries(c), (Entries{"-9 0 1 1"}));
  EXPECT_EQ(c.fn->max_height, 3u);
}

TEST(SideTable, BrIfOutOfNestedBlocks) {
  Compiled c = compile(R"((func (param i32) (result i32)
      block                  ;; 0   B1
        block                ;; 2   B0
          i32.const 3        ;; 4
          local.get 0        ;; 6
          br_if 2            ;; 8   to the function: its final end (19)
          local.get 0        ;; 10
          br_if 1            ;; 12  to just past B1's end (17)
          drop               ;; 14
        end                  ;; 15
      end                    ;; 16
      i32.const 4            ;; 17
    ))");  // 19: the function's end
  ASSERT_EQ(c.code_hex, "02 40 02 40 41 03 20 00 0d 02 20 00 0d 01 1a 0b 0b 41 04 0b");
  EXPECT_EQ(entries(c), (Entries{
                            "11 2 1 0",  // br_if 2: 19 - 8, entry 2 (end of table), keep the result
                            "5 1 0 1",   // br_if 1: 17 - 12, entry 2, B1 takes nothing: drop the i32
                        }));
  EXPECT_EQ(c.fn->max_height, 2u);
}

TEST(SideTable, BrTable) {
  Compiled c = compile(R"((func (param i32) (result i32)
      block (result i32)     ;; 0   B1
        block (result i32)   ;; 2   B0
          i32.const 7        ;; 4
          i32.const 8        ;; 6
          local.get 0        ;; 8
          br_table 0 1 0     ;; 10  three entries: targets 0, 1, default 0
        end                  ;; 15
        i32.const 1          ;; 16
        i32.add              ;; 18
      end                    ;; 19
    ))");  // 20: the function's end
  ASSERT_EQ(c.code_hex, "02 7f 02 7f 41 07 41 08 20 00 0e 02 00 01 00 0b 41 01 6a 0b 0b");
  // All three measure pc from the br_table opcode; each measures stp from
  // its own index. Height 2 after popping the index: keep 1, drop 1.
  EXPECT_EQ(entries(c), (Entries{
                            "6 3 1 1",   // B0: 16 - 10, entry 3 - 0
                            "10 2 1 1",  // B1: 20 - 10, entry 3 - 1
                            "6 1 1 1",   // default B0: entry 3 - 2
                        }));
  EXPECT_EQ(c.fn->max_height, 3u);
}

TEST(SideTable, IfElse) {
  Compiled c = compile(R"((func (param i32) (result i32)
      local.get 0            ;; 0
      if (result i32)        ;; 2   entry 0: when false, to 7 (past else)
        i32.const 1          ;; 4
      else                   ;; 6   entry 1: then-arm exit, to 10 (past end)
        i32.const 2          ;; 7
      end                    ;; 9
    ))");  // 10: the function's end
  ASSERT_EQ(c.code_hex, "20 00 04 7f 41 01 05 41 02 0b 0b");
  EXPECT_EQ(entries(c), (Entries{
                            "5 2 0 0",  // if: 7 - 2, past the else's own entry
                            "4 1 1 0",  // else: 10 - 6, keep the then-arm's result
                        }));
  EXPECT_EQ(c.fn->max_height, 1u);
}

TEST(SideTable, IfWithoutElse) {
  Compiled c = compile(R"((func (param i32)
      local.get 0            ;; 0
      if                     ;; 2   entry 0: when false, to 6 (past end)
        nop                  ;; 4
      end                    ;; 5
    ))");  // 6: the function's end
  ASSERT_EQ(c.code_hex, "20 00 04 40 01 0b 0b");
  EXPECT_EQ(entries(c), (Entries{"4 1 0 0"}));
}

TEST(SideTable, NestedIfInLoopWithBranches) {
  Compiled c = compile(R"((func (param i32) (result i32)
      loop $l (result i32)   ;; 0   body at 2
        local.get 0          ;; 2
        if                   ;; 4   entry 0 -> 16 (past else)
          local.get 0        ;; 6
          i32.const 1        ;; 8
          i32.sub            ;; 10
          local.set 0        ;; 11
          br $l              ;; 13  entry 1 -> 2, back to entry 0
        else                 ;; 15  entry 2 -> 18 (past the if's end)
          nop                ;; 16
        end                  ;; 17
        i32.const 5          ;; 18
      end                    ;; 20
    ))");  // 21: the function's end
  ASSERT_EQ(c.code_hex, "03 7f 20 00 04 40 20 00 41 01 6b 21 00 0c 01 05 01 0b 41 05 0b 0b");
  EXPECT_EQ(entries(c), (Entries{
                            "12 3 0 0",   // if: 16 - 4, to entry 3
                            "-11 -1 0 0", // br $l: 2 - 13, back to entry 0
                            "3 1 0 0",    // else: 18 - 15, to entry 3
                        }));
}

TEST(SideTable, BranchesToTheSameBlockAllGetPatched) {
  Compiled c = compile(R"((func (param i32)
      block                  ;; 0
        local.get 0          ;; 2
        br_if 0              ;; 4   -> 13
        local.get 0          ;; 6
        br_if 0              ;; 8   -> 13
        br 0                 ;; 10  -> 13
      end                    ;; 12
    ))");  // 13: the function's end
  ASSERT_EQ(c.code_hex, "02 40 20 00 0d 00 20 00 0d 00 0c 00 0b 0b");
  EXPECT_EQ(entries(c), (Entries{"9 3 0 0", "5 2 0 0", "3 1 0 0"}));
}

TEST(SideTable, FunctionsGetConsecutiveRanges) {
  Compiled c = compile(R"(
    (func (param i32) (block (br_if 0 (local.get 0))))
    (func (param i32) (local i64 i64) (local f32)
      (block (br_if 0 (local.get 0)) (br 0)))
  )", 1);
  ASSERT_EQ(c.m.funcs.size(), 2u);
  EXPECT_EQ(c.m.funcs[0].side_table, 0u);
  EXPECT_EQ(c.m.funcs[1].side_table, 1u);
  EXPECT_EQ(c.m.side_table.size(), 3u);
  EXPECT_EQ(c.entries.size(), 2u);
  EXPECT_EQ(c.m.funcs[0].num_locals, 0u);
  EXPECT_EQ(c.m.funcs[1].num_locals, 3u);  // params not counted
  // The code starts after the locals vector: 2 runs = 1 + 2 + 2 bytes.
  EXPECT_EQ(c.m.funcs[1].code_offset, c.m.funcs[1].body_offset + 5);
  EXPECT_EQ(c.m.funcs[0].code_offset, c.m.funcs[0].body_offset + 1);
}

TEST(SideTable, MaxHeightCountsBlockParamsAndCallResults) {
  Compiled c = compile(R"(
    (func (result i32 i32 i32) i32.const 1 i32.const 2 i32.const 3)
    (func (result i32)
      call 0                                 ;; 3
      (block (param i32 i32 i32) (result i32)
        i32.add i32.add)                     ;; params re-counted: still 3
      f64.const 0 drop)                      ;; 2
  )", 1);
  EXPECT_EQ(c.m.funcs[0].max_height, 3u);
  EXPECT_EQ(c.fn->max_height, 3u);
  Compiled d = compile("(func)");
  EXPECT_EQ(d.fn->max_height, 0u);
  EXPECT_TRUE(d.entries.empty());
}

TEST(SideTable, UnreachableCodeStillGetsEntries) {
  // Branches after `unreachable` are never taken but keep the one-entry-
  // per-branch layout the interpreter counts on.
  Compiled c = compile(R"((func (result i32)
      block (result i32)     ;; 0
        unreachable          ;; 2
        br 0                 ;; 3  -> 6
      end                    ;; 5
    ))");
  ASSERT_EQ(c.code_hex, "02 7f 00 0c 00 0b 0b");
  EXPECT_EQ(entries(c), (Entries{"3 1 1 0"}));
}

// Canonical type ids: equal signatures get equal ids and different ones
// different ids, whether the answer comes from the per-thread cache or the
// registry. 400 signatures overflow the 64-entry cache, so entries are
// evicted and looked up again; long ones (more than 14 types) bypass it.
TEST(CanonicalTypes, IdsAreStableAndDistinct) {
  const ValType kinds[] = {ValType::I32, ValType::I64, ValType::F32, ValType::F64,
                           ValType::V128, ValType::FuncRef, ValType::ExternRef};
  std::mt19937 rng(3);
  std::vector<FuncType> sigs;
  for (int i = 0; i < 400; ++i) {
    FuncType t;
    size_t np = rng() % (i % 7 == 0 ? 12 : 4), nr = rng() % (i % 11 == 0 ? 9 : 3);
    for (size_t k = 0; k < np; ++k) t.params.push_back(kinds[rng() % 7]);
    for (size_t k = 0; k < nr; ++k) t.results.push_back(kinds[rng() % 7]);
    sigs.push_back(t);
  }
  // The same types split differently between params and results differ.
  sigs.push_back(FuncType{{ValType::I32}, {ValType::I32, ValType::I64}});
  sigs.push_back(FuncType{{ValType::I32, ValType::I32}, {ValType::I64}});
  std::vector<uint32_t> first;
  for (const FuncType& t : sigs) first.push_back(canonical_type_id(t));
  for (int round = 0; round < 3; ++round) {
    for (size_t i = sigs.size(); i-- > 0;) {
      EXPECT_EQ(canonical_type_id(sigs[i]), first[i]) << "signature " << i;
      FuncType copy = sigs[i];
      EXPECT_EQ(canonical_type_id(copy), first[i]) << "copy of signature " << i;
    }
  }
  for (size_t i = 0; i < sigs.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      EXPECT_EQ(first[i] == first[j], sigs[i].params == sigs[j].params && sigs[i].results == sigs[j].results)
          << i << " vs " << j;
}

}  // namespace
}  // namespace wisp
