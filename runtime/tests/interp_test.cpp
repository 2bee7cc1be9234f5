// Interpreter and runtime behaviour the spec suite does not pin down:
// backtraces, limits, fuel, host calls and re-entry, the tail-call
// dispatch's stack use. Each case: a .wat module and what must happen.
#include <gtest/gtest.h>
#include <pthread.h>

#include "runtime/tests/wat_module.hpp"

namespace wisp {
namespace {

using test::compile;
using test::instantiate;

CallResult call(Store& store, Instance* inst, const char* name, std::vector<Value> args = {}) {
  FuncInst* f = inst->func_export(name);
  EXPECT_NE(f, nullptr) << name;
  return store.call(f, args);
}

TEST(Interp, TrapReportsFunctionNamesAndOffsets) {
  Store store;
  Instance* inst = instantiate(store, R"((module
    (memory 1)
    (func $inner (param i32) (result i32) (i32.load (local.get 0)))
    (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0)))))");
  CallResult r = call(store, inst, "outer", {Value::i32(70000)});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  const Trap& t = std::get<Trap>(r);
  EXPECT_EQ(t.kind, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(t.message, "out of bounds memory access");
  ASSERT_EQ(t.backtrace.size(), 2u);
  EXPECT_EQ(t.backtrace[0].func, 0u);
  EXPECT_EQ(t.backtrace[1].func, 1u);
  EXPECT_EQ(t.backtrace[0].name, "inner");
  EXPECT_EQ(t.backtrace[1].name, "outer");
  EXPECT_GT(t.backtrace[0].offset, 0);
  // The store is usable after a trap.
  CallResult ok = call(store, inst, "outer", {Value::i32(0)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(ok));
}

TEST(Interp, InfiniteRecursionTrapsWithCallStackExhausted) {
  StoreConfig cfg;
  cfg.max_call_depth = 1000;
  Store store(cfg);
  Instance* inst = instantiate(store, R"((module (func $f (export "f") (call $f))))");
  CallResult r = call(store, inst, "f");
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(std::get<Trap>(r).kind, TrapKind::StackExhausted);
  EXPECT_EQ(std::get<Trap>(r).message, "call stack exhausted");
}

TEST(Interp, DepthLimitIsConfigurable) {
  const char* wat = R"((module
    (func $down (export "down") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (call $down (i32.sub (local.get 0) (i32.const 1))))))))";
  StoreConfig small;
  small.max_call_depth = 100;
  Store s1(small);
  EXPECT_TRUE(std::holds_alternative<Trap>(call(s1, instantiate(s1, wat), "down", {Value::i32(200)})));
  Store s2;  // default depth is far larger
  EXPECT_FALSE(std::holds_alternative<Trap>(call(s2, instantiate(s2, wat), "down", {Value::i32(200)})));
}

TEST(Interp, FuelStopsAnInfiniteLoop) {
  StoreConfig cfg;
  cfg.fuel = 10000;
  Store store(cfg);
  Instance* inst = instantiate(store, R"((module (func (export "spin") (loop (br 0)))))");
  CallResult r = call(store, inst, "spin");
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(std::get<Trap>(r).kind, TrapKind::OutOfFuel);
  EXPECT_EQ(store.fuel_left(), 0u);
}

TEST(Interp, FuelCountsInstructions) {
  StoreConfig cfg;
  cfg.fuel = 1000;
  Store store(cfg);
  Instance* inst = instantiate(store, R"((module (func (export "f") (result i32)
    (i32.add (i32.const 1) (i32.const 2)))))");
  CallResult r = call(store, inst, "f");
  ASSERT_FALSE(std::holds_alternative<Trap>(r));
  // i32.const, i32.const, i32.add, end
  EXPECT_EQ(1000 - store.fuel_left(), 4u);
}

// Without fuel, `block` steps over the empty-type blocks that follow it in
// one dispatch; with fuel each still costs one, and both modes agree on the
// result, including a branch out of the middle of the nest.
TEST(Interp, NestedEmptyBlocksCountAndBranchTheSameWithAndWithoutFuel) {
  const char* wat = R"((module (func (export "f") (param i32) (result i32)
    (local i32)
    (block (block (block (block
      (loop (block (block
        (br_if 3 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (i32.const 10)))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0))))))
    (local.get 1))))";
  Store plain;
  CallResult r1 = call(plain, instantiate(plain, wat), "f", {Value::i32(3)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r1));
  EXPECT_EQ(std::get<std::vector<Value>>(r1)[0].bits.u32, 30u);

  StoreConfig cfg;
  cfg.fuel = 100000;
  Store fueled(cfg);
  CallResult r2 = call(fueled, instantiate(fueled, wat), "f", {Value::i32(3)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r2));
  EXPECT_EQ(std::get<std::vector<Value>>(r2)[0].bits.u32, 30u);
  // Instructions executed (a branch lands after its target's `end`; `br 0`
  // re-enters the loop's body, not the `loop` itself):
  //   entry: 4 blocks, loop                                        5
  //   3 passes: 2 blocks, local.get, eqz, br_if, local.get,
  //     i32.const, add, local.set, 2 ends, local.get, i32.const,
  //     sub, local.set, br                                    3 * 16 = 48
  //   last pass: 2 blocks, local.get, eqz, br_if (taken)           5
  //   the ends of the 3 outer blocks, local.get, the function's end 5
  EXPECT_EQ(100000 - fueled.fuel_left(), 5u + 48u + 5u + 5u);
}

// SIMD instructions continue the handler chain through their own tail-call
// twins (simd_impl.hpp): same results and the same fuel count either way.
TEST(Interp, SimdInstructionsCountFuelAndChainToTheNext) {
  const char* wat = R"((module (func (export "f") (result i32)
    (i32.add (i32x4.extract_lane 2 (i32x4.add (v128.const i32x4 1 2 3 4)
                                              (v128.const i32x4 5 6 7 8)))
             (i32.const 100)))))";
  Store plain;
  CallResult r1 = call(plain, instantiate(plain, wat), "f");
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r1));
  EXPECT_EQ(std::get<std::vector<Value>>(r1)[0].bits.u32, 110u);
  StoreConfig cfg;
  cfg.fuel = 1000;
  Store fueled(cfg);
  CallResult r2 = call(fueled, instantiate(fueled, wat), "f");
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r2));
  EXPECT_EQ(std::get<std::vector<Value>>(r2)[0].bits.u32, 110u);
  // v128.const, v128.const, i32x4.add, extract_lane, i32.const, i32.add, end
  EXPECT_EQ(1000 - fueled.fuel_left(), 7u);
  // Out of fuel in the middle of the SIMD run: a trap, not a crash.
  StoreConfig little;
  little.fuel = 3;
  Store starved(little);
  CallResult r3 = call(starved, instantiate(starved, wat), "f");
  ASSERT_TRUE(std::holds_alternative<Trap>(r3));
  EXPECT_EQ(std::get<Trap>(r3).kind, TrapKind::OutOfFuel);
}

TrapKind host_add(HostContext&, Slot* args) {
  args[0].u64 = uint32_t(args[0].u32 + args[1].u32);
  return TrapKind::None;
}

TEST(Interp, HostFunctionsGetArgumentsAndReturnResults) {
  Store store;
  FuncType t{{ValType::I32, ValType::I32}, {ValType::I32}};
  FuncInst* add = store.host_func(t, host_add, nullptr, "env.add");
  auto m = compile(R"((module (import "env" "add" (func $add (param i32 i32) (result i32)))
    (func (export "f") (result i32) (call $add (i32.const 40) (i32.const 2)))))");
  Extern imports[] = {{ExternKind::Func, add}};
  auto inst = store.instantiate(m, imports);
  ASSERT_TRUE(inst.ok());
  CallResult r = call(store, inst.value(), "f");
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r));
  EXPECT_EQ(std::get<std::vector<Value>>(r)[0].bits.u32, 42u);
}

// A host function that calls back into wasm (re-entry), possibly trapping.
struct Reenter {
  FuncInst* target = nullptr;
};
TrapKind host_reenter(HostContext& ctx, Slot* args) {
  auto* st = static_cast<Reenter*>(ctx.data);
  CallResult r = ctx.store->call(st->target, {Value::i32(args[0].u32)});
  if (auto* t = std::get_if<Trap>(&r)) {
    ctx.message = "inner: " + t->message;
    return TrapKind::HostError;
  }
  args[0].u64 = std::get<std::vector<Value>>(r)[0].bits.u32 + 1;
  return TrapKind::None;
}

TEST(Interp, HostCanReenterWasmAndSeeItsTraps) {
  Store store;
  Reenter st;
  FuncType t{{ValType::I32}, {ValType::I32}};
  FuncInst* h = store.host_func(t, host_reenter, &st, "env.reenter");
  auto m = compile(R"((module (import "env" "reenter" (func $r (param i32) (result i32)))
    (memory 1)
    (func (export "double") (param i32) (result i32)
      (drop (i32.load (i32.mul (local.get 0) (i32.const 1000))))
      (i32.mul (local.get 0) (i32.const 2)))
    (func (export "f") (param i32) (result i32)
      (i32.add (call $r (local.get 0)) (i32.const 100)))))");
  Extern imports[] = {{ExternKind::Func, h}};
  auto inst = store.instantiate(m, imports);
  ASSERT_TRUE(inst.ok());
  st.target = inst.value()->func_export("double");
  CallResult r = call(store, inst.value(), "f", {Value::i32(5)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(r));
  EXPECT_EQ(std::get<std::vector<Value>>(r)[0].bits.u32, 5u * 2 + 1 + 100);
  // The inner call faults (address 100000 >= 1 page); the outer one then fails cleanly.
  CallResult bad = call(store, inst.value(), "f", {Value::i32(100)});
  ASSERT_TRUE(std::holds_alternative<Trap>(bad));
  EXPECT_EQ(std::get<Trap>(bad).message, "inner: out of bounds memory access");
  // And the store still works.
  CallResult again = call(store, inst.value(), "f", {Value::i32(1)});
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(again));
}

// Handlers end in tail calls; if a compiler did not turn them into jumps,
// a long loop would overflow a small native stack. Run one on 256 KiB.
void* long_loop(void* arg) {
  auto* ok = static_cast<bool*>(arg);
  Store store;
  Instance* inst = instantiate(store, R"((module (func (export "count") (param i32) (result i32)
    (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1))))");
  CallResult r = call(store, inst, "count", {Value::i32(3000000)});
  *ok = std::holds_alternative<std::vector<Value>>(r) &&
        std::get<std::vector<Value>>(r)[0].bits.u32 == 3000000u;
  return nullptr;
}

TEST(InterpTailCalls, LongLoopRunsInASmallNativeStack) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t th;
  bool ok = false;
  ASSERT_EQ(pthread_create(&th, &attr, long_loop, &ok), 0);
  pthread_join(th, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(ok);
}

TEST(Interp, ArgumentTypesAreChecked) {
  Store store;
  Instance* inst = instantiate(store, R"((module (func (export "f") (param i64))))");
  CallResult r = call(store, inst, "f", {Value::i32(1)});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_NE(std::get<Trap>(r).message.find("expected i64"), std::string::npos);
}

}  // namespace
}  // namespace wisp
