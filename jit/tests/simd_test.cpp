// v128 in compiled code: each case a snippet, run interpreted and compiled
// (results, traps and backtraces must agree), and what it must give. The
// spec suite (spec2.0/jit/simd_*) covers every instruction's semantics;
// these cover what it does not: v128 values crossing locals, globals,
// blocks, calls and tiers, shifts by constant and variable counts, faults,
// and the interpreter-handler path.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "jit/x64/masm.hpp"
#include "runtime/tests/wat_module.hpp"

namespace wisp {
namespace {

struct Outcome {
  std::string result;
  bool compiled = false;
};

Outcome run(Tier tier, const std::string& wat, const char* name, std::vector<Value> args) {
  StoreConfig cfg;
  cfg.tier = tier;
  Store store(cfg);
  Instance* inst = test::instantiate(store, wat);
  if (!inst) return {"no instance", false};
  FuncInst* f = inst->func_export(name);
  if (!f) return {"no export", false};
  Outcome out;
  CallResult r = store.call(f, args);
  if (auto* vals = std::get_if<std::vector<Value>>(&r)) {
    char buf[40];
    out.result = "ok";
    for (const Value& v : *vals) {
      snprintf(buf, sizeof buf, " %llx", (unsigned long long)v.bits.u64);
      out.result += buf;
    }
  } else {
    const Trap& t = std::get<Trap>(r);
    out.result = "trap " + t.message;
    for (const TrapFrame& fr : t.backtrace) out.result += " | " + fr.name + "@" + std::to_string(fr.offset);
  }
  out.compiled = f->kind == FuncKind::Compiled;
  return out;
}

// The outcome under both tiers, which must agree; the export must have run
// compiled under the JIT.
std::string both(const std::string& wat, const char* name, std::vector<Value> args = {}) {
  Outcome interp = run(Tier::Interp, wat, name, args);
  Outcome jit = run(Tier::Jit, wat, name, args);
  EXPECT_EQ(interp.result, jit.result) << name;
  EXPECT_TRUE(jit.compiled) << name;
  return jit.result;
}

TEST(JitSimd, V128CrossesLocalsGlobalsBlocksCallsAndSelect) {
  const char* wat = R"((module
    (global $g (mut v128) (v128.const i32x4 1 2 3 4))
    (func $twice (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
    (func (export "f") (param i32) (result i64 i64) (local v128)
      (local.set 1 (call $twice (global.get $g)))
      (global.set $g (local.get 1))
      (block (result v128)
        (br_if 0 (i32x4.splat (i32.const 7)) (local.get 0))
        (drop)
        (select (local.get 1) (global.get $g) (local.get 0)))
      (local.set 1)
      (i64x2.extract_lane 0 (local.get 1))
      (i64x2.extract_lane 1 (local.get 1))))
  )";
  EXPECT_EQ(both(wat, "f", {Value::i32(1)}), "ok 700000007 700000007");
  EXPECT_EQ(both(wat, "f", {Value::i32(0)}), "ok 400000002 800000006");
}

TEST(JitSimd, ShiftsByConstantAndVariableCounts) {
  const char* wat = R"((module
    (func (export "i8") (param i32) (result i64 i64)
      (local $v v128)
      (local.set $v (v128.const i8x16 0x81 0x7f 0xff 1 2 3 4 5 0x80 0x40 0x20 0x10 8 4 2 1))
      (i64x2.extract_lane 0 (v128.xor (i8x16.shr_s (local.get $v) (local.get 0))
                                      (i8x16.shl (local.get $v) (i32.const 3))))
      (i64x2.extract_lane 1 (v128.xor (i8x16.shr_u (local.get $v) (local.get 0))
                                      (i8x16.shr_s (local.get $v) (i32.const 9)))))
    (func (export "i64") (param i32) (result i64 i64)
      (local $v v128)
      (local.set $v (v128.const i64x2 -8 0x4000000000000000))
      (i64x2.extract_lane 0 (i64x2.shr_s (local.get $v) (local.get 0)))
      (i64x2.extract_lane 1 (i64x2.shl (local.get $v) (i32.const 65)))))
  )";
  for (int32_t n : {0, 1, 3, 7, 8, 9, -1}) {
    both(wat, "i8", {Value::i32(n)});
    both(wat, "i64", {Value::i32(n)});
  }
  // -8 >> (65 mod 64 = 1) = -4; 2^62 << 1 = 2^63.
  EXPECT_EQ(both(wat, "i64", {Value::i32(65)}), "ok fffffffffffffffc 8000000000000000");
}

TEST(JitSimd, AFaultingV128LoadReportsWhatTheInterpreterDoes) {
  const char* wat = R"((module (memory 1)
    (func (export "f") (param i32) (result i32)
      (i32x4.extract_lane 2 (v128.load offset=8 (local.get 0))))
    (func (export "g") (param i32)
      (v128.store32_lane 3 (local.get 0) (v128.const i32x4 0 0 0 0))))
  )";
  EXPECT_EQ(both(wat, "f", {Value::i32(65520)}).substr(0, 36), "trap out of bounds memory access | f");
  EXPECT_EQ(both(wat, "f", {Value::i32(65504)}), "ok 0");
  EXPECT_EQ(both(wat, "g", {Value::i32(65533)}).substr(0, 36), "trap out of bounds memory access | g");
}

// Without SSE4.2 the i64x2 signed comparisons run the interpreter's handler
// on the compiled frame: the function still compiles, and gives the same.
TEST(JitSimd, InstructionsWithoutInlineCodeRunTheInterpretersHandler) {
  const char* wat = R"((module
    (func (export "f") (param i64 i64) (result i32)
      (local v128 v128)
      (local.set 2 (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))
      (local.set 3 (i64x2.replace_lane 1 (i64x2.splat (local.get 1)) (local.get 0)))
      (i32.add (i32.add (i64x2.bitmask (i64x2.lt_s (local.get 2) (local.get 3)))
                        (i32.shl (i64x2.bitmask (i64x2.ge_s (local.get 2) (local.get 3))) (i32.const 2)))
               (i32.shl (i64x2.bitmask (i64x2.gt_s (local.get 3) (local.get 2))) (i32.const 4)))))
  )";
  const std::string inline_code = both(wat, "f", {Value::i64(-5), Value::i64(3)});
  jit::Masm::pretend_no_sse42(true);
  const std::string handler = both(wat, "f", {Value::i64(-5), Value::i64(3)});
  jit::Masm::pretend_no_sse42(false);
  EXPECT_EQ(inline_code, handler);
  // (-5, 3) against (3, -5): lt_s 0b01, ge_s 0b10, gt_s swapped 0b01.
  EXPECT_EQ(inline_code, "ok 19");  // 1 + (2 << 2) + (1 << 4)
}

}  // namespace
}  // namespace wisp
