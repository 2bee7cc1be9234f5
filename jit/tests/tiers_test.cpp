// The baseline JIT against the interpreter: each case is a module and what
// must happen, run once interpreted and once compiled; results, traps,
// messages and backtraces (names and offsets) must be the same.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/tests/wat_module.hpp"

namespace wisp {
namespace {

// What a call did, as one comparable string: the results' bits, or the
// trap's message and every backtrace frame.
std::string outcome(const CallResult& r) {
  std::string s;
  if (auto* vals = std::get_if<std::vector<Value>>(&r)) {
    s = "ok";
    for (const Value& v : *vals) s += " " + std::to_string(v.bits.u64);
    return s;
  }
  const Trap& t = std::get<Trap>(r);
  s = "trap " + t.message;
  for (const TrapFrame& f : t.backtrace)
    s += " | " + std::to_string(f.func) + ":" + f.name + "@" + std::to_string(f.offset);
  return s;
}

struct Outcome {
  std::string result;
  bool compiled = false;  // the export ran as compiled code
};

Outcome run(Tier tier, const std::string& wat, const char* name, std::vector<Value> args,
        StoreConfig cfg = {}) {
  cfg.tier = tier;
  Store store(cfg);
  Instance* inst = test::instantiate(store, wat);
  if (!inst) return {"no instance", false};
  FuncInst* f = inst->func_export(name);
  if (!f) return {"no export", false};
  Outcome out;
  out.result = outcome(store.call(f, args));
  out.compiled = f->kind == FuncKind::Compiled;
  return out;
}

// Runs under both tiers; the outcomes must agree. Returns the outcome.
std::string both(const std::string& wat, const char* name, std::vector<Value> args = {},
                 bool expect_compiled = true) {
  Outcome interp = run(Tier::Interp, wat, name, args);
  Outcome jit = run(Tier::Jit, wat, name, args);
  EXPECT_EQ(interp.result, jit.result) << name;
  EXPECT_FALSE(interp.compiled);
  EXPECT_EQ(jit.compiled, expect_compiled) << name;
  return jit.result;
}

const char* const kArith = R"((module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "sum") (param i32) (result i64) (local i64)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (func (export "mix") (param f64 i64) (result f64)
    (f64.add (f64.mul (local.get 0) (f64.convert_i64_u (local.get 1)))
             (f64.min (f64.sqrt (local.get 0)) (f64.const -0.0))))
  (func (export "switch") (param i32) (result i32)
    (block (block (block (block
      (br_table 0 1 2 3 (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 11)))
      (return (i32.const 12)))
    (i32.const 13)))
)";

TEST(JitTiers, ResultsMatchTheInterpreter) {
  EXPECT_EQ(both(kArith, "fib", {Value::i32(20)}), "ok 6765");
  EXPECT_EQ(both(kArith, "sum", {Value::i32(100000)}), "ok 5000050000");
  both(kArith, "mix", {Value::f64(2.5), Value::i64(~uint64_t(0))});
  for (uint32_t i = 0; i < 6; ++i) both(kArith, "switch", {Value::i32(i)});
}

const char* const kTraps = R"((module
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $ok)
  (type $t (func (result i32)))
  (func $ok (result i32) (i32.const 1))
  (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (call $div (local.get 0) (local.get 1)))
  (func $load (param i32) (result i64) (i64.load offset=8 (local.get 0)))
  (func (export "load") (param i32) (result i64) (call $load (local.get 0)))
  (func (export "store") (param i32) (i32.store16 (local.get 0) (i32.const 7)))
  (func (export "indirect") (param i32) (result i32) (call_indirect (type $t) (local.get 0)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "unreachable") (unreachable))
  (func $deep (export "deep") (param i32) (result i32)
    (i32.add (i32.const 1) (call $deep (local.get 0)))))
)";

TEST(JitTiers, TrapsAndBacktracesMatchTheInterpreter) {
  EXPECT_EQ(both(kTraps, "div", {Value::i32(7), Value::i32(0)}).substr(0, 28),
            "trap integer divide by zero ");
  both(kTraps, "div", {Value::i32(INT32_MIN), Value::i32(-1)});
  EXPECT_EQ(both(kTraps, "div", {Value::i32(-7), Value::i32(2)}), "ok " + std::to_string(uint32_t(-3)));
  // Faults in compiled code: the machine pc maps back to the wasm offset.
  EXPECT_EQ(both(kTraps, "load", {Value::i32(65530)}).substr(0, 33), "trap out of bounds memory access ");
  both(kTraps, "store", {Value::i32(65535)});
  EXPECT_EQ(both(kTraps, "indirect", {Value::i32(0)}), "ok 1");
  both(kTraps, "indirect", {Value::i32(1)});  // uninitialized element 1
  both(kTraps, "indirect", {Value::i32(5)});  // undefined element 5
  both(kTraps, "trunc", {Value::f64(3e10)});
  both(kTraps, "trunc", {Value::f64(-2.9)});
  both(kTraps, "unreachable");
}

TEST(JitTiers, DeepRecursionEndsInCallStackExhausted) {
  // The default call depth, and one deep enough that compiled frames would
  // run out of native stack first: both end in the same trap.
  std::string r = both(kTraps, "deep", {Value::i32(0)});
  EXPECT_EQ(r.substr(0, 26), "trap call stack exhausted ");
  StoreConfig deep;
  deep.max_call_depth = 1u << 24;
  deep.value_stack_bytes = size_t(1) << 30;
  Outcome j = run(Tier::Jit, kTraps, "deep", {Value::i32(0)}, deep);
  EXPECT_EQ(j.result.substr(0, 26), "trap call stack exhausted ");
}

TEST(JitTiers, StoreIsUsableAfterATrapInCompiledCode) {
  StoreConfig cfg;
  cfg.tier = Tier::Jit;
  Store store(cfg);
  Instance* inst = test::instantiate(store, kTraps);
  ASSERT_NE(inst, nullptr);
  FuncInst* div = inst->func_export("div");
  EXPECT_TRUE(std::holds_alternative<Trap>(store.call(div, {Value::i32(1), Value::i32(0)})));
  auto r = store.call(div, {Value::i32(9), Value::i32(3)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r));
  EXPECT_EQ(std::get<std::vector<Value>>(r)[0].bits.u32, 3u);
}

// A function kept in the interpreter (as one the JIT refused would be)
// calls compiled code and is called by it, and a host function in between
// calls back into wasm.
TEST(JitTiers, InterpretedCompiledAndHostFunctionsCallEachOther) {
  const char* wat = R"((module
    (import "env" "host" (func $host (param i32) (result i32)))
    (func $compiled (export "compiled") (param i32) (result i32)
      (i32.mul (local.get 0) (i32.const 3)))
    (func $vector (param i32) (result i32)
      (i32x4.extract_lane 1 (i32x4.splat (call $compiled (local.get 0)))))
    (func (export "top") (param i32) (result i32)
      (i32.add (call $vector (local.get 0)) (call $host (local.get 0))))
  ))";
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    StoreConfig cfg;
    cfg.tier = tier;
    Store store(cfg);
    struct Ctx {
      Store* store;
      Instance* inst;
    } ctx{&store, nullptr};
    FuncType ft;
    ft.params = {ValType::I32};
    ft.results = {ValType::I32};
    // host(x) = compiled(x + 1), through the API: a call back into wasm.
    FuncInst* host = store.host_func(ft, [](HostContext& hc, Slot* args) {
      auto* c = static_cast<Ctx*>(hc.data);
      auto r = c->store->call(c->inst->func_export("compiled"), {Value::i32(args[0].u32 + 1)});
      if (!std::holds_alternative<std::vector<Value>>(r)) return TrapKind::HostError;
      args[0] = std::get<std::vector<Value>>(r)[0].bits;
      return TrapKind::None;
    }, &ctx);
    Linker linker;
    linker.define("env", "host", Extern{ExternKind::Func, host});
    auto m = test::compile(wat);
    ASSERT_NE(m, nullptr);
    auto inst = linker.instantiate(store, m);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    ctx.inst = inst.value();
    if (tier == Tier::Jit) ctx.inst->funcs[2]->kind = FuncKind::Interpreted;  // $vector
    auto r = store.call(ctx.inst->func_export("top"), {Value::i32(5)});
    ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r));
    EXPECT_EQ(std::get<std::vector<Value>>(r)[0].bits.u32, 15u + 18u);
    if (tier == Tier::Jit) {
      EXPECT_EQ(ctx.inst->func_export("top")->kind, FuncKind::Compiled);
      EXPECT_EQ(ctx.inst->func_export("compiled")->kind, FuncKind::Compiled);
      EXPECT_EQ(ctx.inst->funcs[2]->kind, FuncKind::Interpreted);
    }
  }
}

// Compiled code charges fuel per straight-line run, one per instruction as
// the interpreter: a call that completes leaves the same fuel in the tank.
TEST(JitTiers, FuelCostsTheSameInBothTiers) {
  for (const char* name : {"fib", "sum", "switch"}) {
    uint64_t left[2];
    for (Tier tier : {Tier::Interp, Tier::Jit}) {
      StoreConfig cfg;
      cfg.tier = tier;
      cfg.fuel = 10000000;
      Store store(cfg);
      Instance* inst = test::instantiate(store, kArith);
      ASSERT_NE(inst, nullptr);
      auto r = store.call(inst->func_export(name), {Value::i32(17)});
      ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r)) << name;
      left[tier == Tier::Jit] = store.fuel_left();
      if (tier == Tier::Jit) EXPECT_EQ(inst->func_export(name)->kind, FuncKind::Compiled);
    }
    EXPECT_EQ(left[0], left[1]) << name;
  }
  // Running out: the same trap, wherever in the run it strikes.
  StoreConfig cfg;
  cfg.fuel = 1000;
  Outcome r = run(Tier::Jit, kArith, "sum", {Value::i32(1000000)}, cfg);
  EXPECT_EQ(r.result.substr(0, 23), "trap all fuel consumed ");
  EXPECT_TRUE(r.compiled);
}

// Tier::Auto: a function called once, with a long loop, is compiled while
// it runs and the call moves into compiled code at the loop's header.
TEST(JitTiers, AutoMovesARunningLoopIntoCompiledCode) {
  StoreConfig cfg;
  cfg.tier = Tier::Auto;
  Store store(cfg);
  Instance* inst = test::instantiate(store, kArith);
  ASSERT_NE(inst, nullptr);
  FuncInst* sum = inst->func_export("sum");
  auto r = store.call(sum, {Value::i32(1000000)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r));
  EXPECT_EQ(std::get<std::vector<Value>>(r)[0].bits.u64, 500000500000u);
  Store::TierStats s = store.tier_stats();
  EXPECT_EQ(s.tier_ups, 1u);
  EXPECT_EQ(s.osr_entries, 1u);
  EXPECT_EQ(sum->kind, FuncKind::Compiled);
  // Small calls stay interpreted until they add up to a sample.
  FuncInst* fib = inst->func_export("fib");
  auto f = store.call(fib, {Value::i32(5)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(f));
  EXPECT_EQ(fib->kind, FuncKind::Interpreted);
  // A trap after on-stack replacement reports the same backtrace.
  EXPECT_EQ(both(kTraps, "deep", {Value::i32(0)}), run(Tier::Auto, kTraps, "deep", {Value::i32(0)}).result);
}

// The embedder's fuel and auto tiering share the counter: a call that
// completes costs the same fuel as interpreted, through tier-up and OSR.
TEST(JitTiers, AutoCountsFuelExactly) {
  uint64_t left[2];
  for (Tier tier : {Tier::Interp, Tier::Auto}) {
    StoreConfig cfg;
    cfg.tier = tier;
    cfg.tier_sample = 100;
    cfg.fuel = 100000000;
    Store store(cfg);
    Instance* inst = test::instantiate(store, kArith);
    ASSERT_NE(inst, nullptr);
    auto r = store.call(inst->func_export("sum"), {Value::i32(200000)});
    ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r));
    auto f = store.call(inst->func_export("fib"), {Value::i32(15)});
    ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(f));
    left[tier == Tier::Auto] = store.fuel_left();
    if (tier == Tier::Auto) EXPECT_EQ(store.tier_stats().osr_entries, 1u);
  }
  EXPECT_EQ(left[0], left[1]);
  StoreConfig cfg;
  cfg.fuel = 5000;
  Outcome r = run(Tier::Auto, kArith, "sum", {Value::i32(1000000)}, cfg);
  EXPECT_EQ(r.result.substr(0, 23), "trap all fuel consumed ");
}

}  // namespace
}  // namespace wisp
