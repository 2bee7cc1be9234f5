// One host process running thousands of guests, as `wisp serve` will: each
// gets a fresh Store, WasiCtx and instance, and each either finishes, traps,
// exhausts the stack or its fuel, runs into a memory or table limit, is
// refused at instantiation, or exits. The process's resident memory and
// open descriptors must stay flat: nothing a guest does outlives its store.
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "runtime/text/wat.hpp"
#include "runtime/api/wisp.hpp"
#include "wasi/tests/temp_tree.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi {
namespace {

using testing::TempTree;

// Opens (creating) "f" in preopen fd 3 and never closes it, then does what
// `body` says.
std::string guest(const std::string& body, const std::string& extra = "") {
  return R"((module
    (import "wasi_snapshot_preview1" "path_open"
      (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory 1 100)
    (table $t 1 funcref)
    (data (i32.const 0) "f")
    )" + extra + R"(
    (func $rec (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1))))
    (func (export "_start")
      (drop (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 1)
                        (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16)))
      )" + body + "))";
}

// What each guest does, and how its run must end.
struct Case {
  const char* name;
  std::string wat;
  const char* outcome;  // "ok", "trap: <kind message>", "exit", "refused"
};

std::vector<Case> cases() {
  return {
      {"returns", guest(""), "ok"},
      {"unreachable", guest("unreachable"), "trap: unreachable"},
      {"out of bounds", guest("(drop (i32.load (i32.const 70000)))"),
       "trap: out of bounds memory access"},
      {"stack", guest("(drop (call $rec (i32.const 0)))"), "trap: call stack exhausted"},
      {"fuel", guest("(loop $l (br $l))"), "trap: all fuel consumed"},
      // Grows memory and the table until refused, touching each new page.
      {"memory limit", guest(R"((block $done (loop $l
          (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
          (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))
                     (i32.const 1))
          (br $l))))"),
       "ok"},
      {"table limit", guest(R"((block $done (loop $l
          (br_if $done (i32.eq (table.grow $t (ref.null func) (i32.const 1000)) (i32.const -1)))
          (br $l))))"),
       "ok"},
      {"huge table", guest("", "(table 100000000 funcref)"), "refused"},
      {"many globals", guest("", [] {
         std::string g;
         for (int i = 0; i < 200; ++i) g += "(global (mut i64) (i64.const 0))";
         return g;
       }()),
       "refused"},
      {"exit", guest("(call $exit (i32.const 3))"), "exit"},
  };
}

StoreConfig limits() {
  StoreConfig cfg;
  cfg.fuel = 200000;
  cfg.max_call_depth = 2000;
  cfg.value_stack_bytes = 1 << 20;
  cfg.limits.max_memory_bytes = 4 << 20;
  cfg.limits.max_table_elements = 20000;
  cfg.limits.max_total_table_elements = 20000;
  cfg.limits.max_globals = 100;
  return cfg;
}

// Runs one guest in its own store; returns how it ended.
std::string run_one(const std::shared_ptr<Module>& m, const std::string& dir) {
  WasiConfig wc;
  wc.dirs.push_back({dir, "/box"});
  auto ctx = WasiCtx::create(wc);
  if (!ctx.ok()) return "ctx: " + ctx.error().message;
  Store store(limits());
  Linker linker;
  add_to_linker(linker, store, *ctx.value());
  auto inst = linker.instantiate(store, m);
  if (!inst.ok()) return inst.error().kind == ErrorKind::Limit ? "refused" : inst.error().message;
  CallResult r = store.call(inst.value()->func_export("_start"), {});
  if (auto* t = std::get_if<Trap>(&r)) return t->kind == TrapKind::Exit ? "exit" : "trap: " + t->message;
  return "ok";
}

size_t resident_kb() {
  FILE* f = fopen("/proc/self/statm", "r");
  unsigned long size = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * size_t(sysconf(_SC_PAGESIZE)) / 1024;
}

size_t open_fds() {
  size_t n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  return n;
}

TEST(ManyGuests, ResidentMemoryAndDescriptorsStayFlat) {
  TempTree t;
  std::vector<Case> cs = cases();
  std::vector<std::shared_ptr<Module>> mods;
  for (const Case& c : cs) {
    text::WatOptions opts;
    auto bin = text::parse_wat(c.wat, opts);
    ASSERT_TRUE(bin.ok()) << c.name << ": " << bin.error().message;
    auto m = load_module(std::move(bin.value()));
    ASSERT_TRUE(m.ok()) << c.name << ": " << m.error().message;
    mods.push_back(m.value());
  }
  auto round = [&] {
    for (size_t i = 0; i < cs.size(); ++i) {
      std::string got = run_one(mods[i], t.path());
      if (got != cs[i].outcome) {
        ADD_FAILURE() << cs[i].name << ": expected " << cs[i].outcome << ", got " << got;
        return false;
      }
    }
    return true;
  };
  // Warm up (allocator arenas, the stack and reservation caches), then
  // measure across a few thousand more guests.
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(round());
  size_t rss0 = resident_kb(), fds0 = open_fds();
  const int kRounds = 300;
  for (int i = 0; i < kRounds; ++i) ASSERT_TRUE(round());
  size_t rss1 = resident_kb(), fds1 = open_fds();
  EXPECT_EQ(fds1, fds0) << "descriptors leaked over " << kRounds * cs.size() << " guests";
#ifndef WISP_SANITIZED
  EXPECT_LT(rss1, rss0 + 8 * 1024) << "resident memory grew from " << rss0 << " KB to " << rss1
                                   << " KB over " << kRounds * cs.size() << " guests";
#else
  (void)rss1;  // ASan's quarantine holds freed memory on purpose
#endif
}

}  // namespace
}  // namespace wisp::wasi
