// Store limits and the other guards a multi-tenant host relies on
// (SECURITY.md): a guest asking for huge or numerous tables, memories,
// globals or instances gets a limit error or -1 from grow, never an
// exhausted host; fuel pays for the size of bulk operations; a deep trap
// keeps a bounded backtrace; a host function that throws fails the call;
// names from a module cannot drive a terminal.
#include <gtest/gtest.h>

#include <stdexcept>

#include "runtime/tests/wat_module.hpp"

namespace wisp {
namespace {

using test::compile;
using test::instantiate;


// The error of an instantiation that must fail.
Error refused(Store& store, const std::string& wat) {
  auto inst = store.instantiate(compile(wat), {});
  EXPECT_FALSE(inst.ok());
  return inst.ok() ? Error{} : inst.error();
}


std::vector<Value> results(CallResult r) {
  if (auto* t = std::get_if<Trap>(&r)) {
    ADD_FAILURE() << "trapped: " << t->message;
    return {};
  }
  return std::get<std::vector<Value>>(r);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// ---- tables ---------------------------------------------------------------------------

TEST(Limits, HugeTableMinimumIsALimitErrorNotAnAllocation) {
  Store store;
  Error e = refused(store, "(module (table 0xffffffff funcref))");
  EXPECT_EQ(e.kind, ErrorKind::Limit);
  EXPECT_EQ(e.message, "table minimum of 4294967295 elements exceeds the table elements limit");
  EXPECT_EQ(store.usage().table_elements, 0u);
}

TEST(Limits, TableElementsLimitIsConfigurable) {
  StoreConfig cfg;
  cfg.limits.max_table_elements = 100;
  Store store(cfg);
  EXPECT_EQ(refused(store, "(module (table 101 funcref))").kind, ErrorKind::Limit);
  Instance* inst = instantiate(store, R"((module (table 100 funcref)
    (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))))");
  ASSERT_TRUE(inst);
  EXPECT_EQ(results(store.call(inst->func_export("grow"), {Value::i32(1)}))[0].bits.i32, -1);
  EXPECT_EQ(results(store.call(inst->func_export("grow"), {Value::i32(0)}))[0].bits.i32, 100);
}

// Twenty tables each grown to the per-table cap used to hold 1.5 GB: the
// store's total stops them.
TEST(Limits, ManyTablesStopAtTheStoreTotal) {
  StoreConfig cfg;
  cfg.limits.max_table_elements = 1000;
  cfg.limits.max_total_table_elements = 5000;
  Store store(cfg);
  std::string wat = "(module " + repeat("(table 0 funcref)", 20) +
                    "(func (export \"grow_all\") (result i32) (local i32)";
  for (int i = 0; i < 20; ++i)
    wat += "(local.set 0 (i32.add (local.get 0) (i32.ne (i32.const -1) (table.grow " +
           std::to_string(i) + " (ref.null func) (i32.const 1000)))))";
  wat += "(local.get 0)))";
  Instance* inst = instantiate(store, wat);
  ASSERT_TRUE(inst);
  EXPECT_EQ(results(store.call(inst->func_export("grow_all"), {}))[0].bits.i32, 5);
  EXPECT_EQ(store.usage().table_elements, 5000u);
}

TEST(Limits, TableCountIsCheckedBeforeAnythingIsAllocated) {
  StoreConfig cfg;
  cfg.limits.max_tables = 10;
  Store store(cfg);
  Error e = refused(store, "(module " + repeat("(table 1 funcref)", 11) + ")");
  EXPECT_EQ(e.kind, ErrorKind::Limit);
  EXPECT_EQ(e.message, "table count limit exceeded");
  EXPECT_EQ(store.usage().tables, 0u);
  EXPECT_EQ(store.usage().table_elements, 0u);
}

TEST(Limits, HostTablesCountToo) {
  StoreConfig cfg;
  cfg.limits.max_table_elements = 10;
  Store store(cfg);
  TableType tt;
  tt.elem = ValType::FuncRef;
  tt.limits.min = 11;
  auto t = store.table(tt);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::Limit);
  tt.limits.min = 10;
  EXPECT_TRUE(store.table(tt).ok());
}

// ---- memories, globals, instances --------------------------------------------------------

TEST(Limits, MemoryTotalAcrossMemoriesOfAStore) {
  StoreConfig cfg;
  cfg.limits.max_total_memory_bytes = 3 * 65536;
  Store store(cfg);
  const char* wat = R"((module (memory 1)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))";
  Instance* a = instantiate(store, wat);
  Instance* b = instantiate(store, wat);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(results(store.call(a->func_export("grow"), {Value::i32(2)}))[0].bits.i32, -1);
  EXPECT_EQ(results(store.call(a->func_export("grow"), {Value::i32(1)}))[0].bits.i32, 1);
  EXPECT_EQ(results(store.call(b->func_export("grow"), {Value::i32(1)}))[0].bits.i32, -1);
  Error e = refused(store, wat);
  EXPECT_EQ(e.kind, ErrorKind::Limit);
  EXPECT_EQ(store.usage().memory_bytes, 3u * 65536);
}

TEST(Limits, MemoryCountAndPerMemorySize) {
  StoreConfig cfg;
  cfg.limits.max_memories = 1;
  cfg.limits.max_memory_bytes = 65536;
  Store store(cfg);
  EXPECT_EQ(refused(store, "(module (memory 2))").kind, ErrorKind::Limit);
  EXPECT_TRUE(instantiate(store, "(module (memory 1))"));
  Error e = refused(store, "(module (memory 1))");
  EXPECT_EQ(e.message, "memory count limit exceeded");
}

TEST(Limits, GlobalCount) {
  StoreConfig cfg;
  cfg.limits.max_globals = 5;
  Store store(cfg);
  EXPECT_TRUE(instantiate(store, "(module " + repeat("(global i32 (i32.const 0))", 5) + ")"));
  Error e = refused(store, "(module (global i32 (i32.const 0)))");
  EXPECT_EQ(e.kind, ErrorKind::Limit);
  EXPECT_EQ(e.message, "global count limit exceeded");
}

TEST(Limits, InstanceCount) {
  StoreConfig cfg;
  cfg.limits.max_instances = 3;
  Store store(cfg);
  auto m = compile("(module)");
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(store.instantiate(m, {}).ok());
  auto inst = store.instantiate(m, {});
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::Limit);
  EXPECT_EQ(inst.error().message, "instance count limit exceeded");
}

// ---- fuel -----------------------------------------------------------------------------

TEST(Limits, ZeroFuelTrapsBeforeTheFirstInstruction) {
  StoreConfig cfg;
  cfg.fuel = 0;
  Store store(cfg);
  Instance* inst = instantiate(store, R"((module (func (export "f"))))");
  CallResult r = store.call(inst->func_export("f"), {});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(std::get<Trap>(r).kind, TrapKind::OutOfFuel);
}

// memory.fill of 64 KiB costs 1 + 65536/64 units, not one.
TEST(Limits, BulkMemoryPaysForItsSize) {
  const char* wat = R"((module (memory 1)
    (func (export "fill") (param i32)
      (memory.fill (i32.const 0) (i32.const 7) (local.get 0)))))";
  StoreConfig cfg;
  cfg.fuel = 100;
  Store store(cfg);
  Instance* inst = instantiate(store, wat);
  CallResult r = store.call(inst->func_export("fill"), {Value::i32(65536)});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(std::get<Trap>(r).kind, TrapKind::OutOfFuel);
  EXPECT_EQ(inst->memories[0]->mem.base()[0], 0) << "ran out of fuel before writing";

  store.set_fuel(10000);
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(
      store.call(inst->func_export("fill"), {Value::i32(65536)})));
  // local.get, two i32.const, memory.fill, end: 5; the fill's size: 1024.
  EXPECT_EQ(10000 - store.fuel_left(), 5u + 65536 / kBulkBytesPerFuel);
}

TEST(Limits, BulkTableOperationsPayForTheirSize) {
  const char* wat = R"((module (table 1000 funcref)
    (func (export "fill") (param i32)
      (table.fill 0 (i32.const 0) (ref.null func) (local.get 0)))
    (func (export "grow") (param i32) (result i32)
      (table.grow 0 (ref.null func) (local.get 0)))))";
  StoreConfig cfg;
  cfg.fuel = 10000;
  Store store(cfg);
  Instance* inst = instantiate(store, wat);
  ASSERT_TRUE(std::holds_alternative<std::vector<Value>>(
      store.call(inst->func_export("fill"), {Value::i32(800)})));
  EXPECT_EQ(10000 - store.fuel_left(), 5u + 800 / kBulkElemsPerFuel);
  store.set_fuel(10);
  CallResult r = store.call(inst->func_export("grow"), {Value::i32(800)});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(inst->tables[0]->elems.size(), 1000u) << "ran out of fuel before growing";
}

// ---- traps ------------------------------------------------------------------------------

// A trap 200k frames deep keeps 2 * kBacktraceKeep frames and says how many
// it left out (it held one string per frame: 395 MB at 4M frames).
TEST(Limits, DeepBacktraceIsCapped) {
  StoreConfig cfg;
  cfg.max_call_depth = 200000;
  Store store(cfg);
  Instance* inst = instantiate(store, R"((module (func $f (export "f") (call $f))))");
  CallResult r = store.call(inst->func_export("f"), {});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  const Trap& t = std::get<Trap>(r);
  EXPECT_EQ(t.kind, TrapKind::StackExhausted);
  EXPECT_EQ(t.backtrace.size(), 2 * Trap::kBacktraceKeep);
  EXPECT_EQ(t.omitted, 200000 - 2 * Trap::kBacktraceKeep);
  std::string text = format_trap(t);
  EXPECT_NE(text.find("... " + std::to_string(t.omitted) + " more frames not recorded"),
            std::string::npos)
      << text;
  EXPECT_LT(text.size(), 1000u) << text;
}

TrapKind throwing_host(HostContext&, Slot*) { throw std::runtime_error("boom"); }
TrapKind oom_host(HostContext&, Slot*) { throw std::bad_alloc(); }

TEST(Limits, HostExceptionsBecomeTraps) {
  Store store;
  Linker linker;
  FuncType ft;
  linker.define("env", "boom", Extern{ExternKind::Func, store.host_func(ft, throwing_host)});
  linker.define("env", "oom", Extern{ExternKind::Func, store.host_func(ft, oom_host)});
  auto inst = linker.instantiate(store, compile(R"((module
    (import "env" "boom" (func $boom)) (import "env" "oom" (func $oom))
    (func (export "boom") (call $boom)) (func (export "oom") (call $oom))))"));
  ASSERT_TRUE(inst.ok());
  CallResult r = store.call(inst.value()->func_export("boom"), {});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(std::get<Trap>(r).kind, TrapKind::HostError);
  EXPECT_EQ(std::get<Trap>(r).message, "host function failed: boom");
  r = store.call(inst.value()->func_export("oom"), {});
  ASSERT_TRUE(std::holds_alternative<Trap>(r));
  EXPECT_EQ(std::get<Trap>(r).message, "host function ran out of memory");
  // The store still works (the guard frames were unwound properly).
  r = store.call(inst.value()->func_export("boom"), {});
  EXPECT_TRUE(std::holds_alternative<Trap>(r));
}

// ---- names from a module ------------------------------------------------------------------

TEST(Printable, EscapesWhatATerminalWouldActOn) {
  EXPECT_EQ(printable("plain name_1.2"), "plain name_1.2");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");  // UTF-8 stays
  EXPECT_EQ(printable("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
  EXPECT_EQ(printable("a\nwisp: exit 0"), "a\\x0awisp: exit 0");
  EXPECT_EQ(printable("\x7f\r\t"), "\\x7f\\x0d\\x09");
  EXPECT_EQ(printable("\xc2\x9b" "2J"), "\\u{9b}2J");        // C1 CSI
  EXPECT_EQ(printable("\xe2\x80\xae" "abc"), "\\u{202e}abc");  // right-to-left override
  EXPECT_EQ(printable("\xff\xc3"), "\\xff\\xc3");              // not UTF-8
  std::string once = printable("\x1b[2J\xff");
  EXPECT_EQ(printable(once), once);  // idempotent
}

TEST(Printable, BacktraceNamesAreEscaped) {
  Trap t;
  t.message = "unreachable";
  TrapFrame f;
  f.name = "evil\x1b[2J\nwisp: exit 0";
  f.offset = 5;
  t.backtrace.push_back(f);
  EXPECT_EQ(format_trap(t), "unreachable\n  at evil\\x1b[2J\\x0awisp: exit 0 (offset 0x5)");
}

}  // namespace
}  // namespace wisp
