#include "runtime/vm/signals.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "runtime/vm/memory.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define WISP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WISP_ASAN 1
#endif
#endif

namespace wisp {
namespace {

// Under ASan its SEGV reporter is the previous handler, and it exits instead
// of dying by the signal; either way the process must not survive.
#ifdef WISP_ASAN
#define EXPECT_SEGV_DEATH(stmt) EXPECT_DEATH(stmt, "")
#else
#define EXPECT_SEGV_DEATH(stmt) EXPECT_EXIT(stmt, testing::KilledBySignal(SIGSEGV), "")
#endif

void no_core_dump() {
  rlimit rl{0, 0};
  setrlimit(RLIMIT_CORE, &rl);
}

LinearMemory one_page() {
  Limits l;
  l.min = 1;
  auto r = LinearMemory::create(l);
  EXPECT_TRUE(r.ok());
  return std::move(r).value();
}

uint8_t read_byte(const void* p) { return *static_cast<const volatile uint8_t*>(p); }

TrapKind fault_at(const void* p) {
  return run_guarded([p] { (void)read_byte(p); });
}

TEST(Signals, NormalReturnAndRaisedTraps) {
  EXPECT_FALSE(in_wasm());
  int ran = 0;
  EXPECT_EQ(run_guarded([&] {
              EXPECT_TRUE(in_wasm());
              ++ran;
            }),
            TrapKind::None);
  EXPECT_EQ(ran, 1);
  EXPECT_FALSE(in_wasm());
  for (TrapKind k : {TrapKind::Unreachable, TrapKind::IntegerDivideByZero, TrapKind::StackExhausted,
                     TrapKind::Exit}) {
    EXPECT_EQ(run_guarded([k] { raise_trap(k); }), k);
    EXPECT_EQ(last_trap_info().kind, k);
    EXPECT_EQ(last_trap_info().signal, 0);
  }
  EXPECT_FALSE(in_wasm());
}

TEST(Signals, HintIsRecorded) {
  static const int func_a = 0, func_b = 0;
  LinearMemory m = one_page();
  set_trap_hint(&func_a);
  EXPECT_EQ(run_guarded([] { raise_trap(TrapKind::Unreachable); }), TrapKind::Unreachable);
  EXPECT_EQ(last_trap_info().hint, &func_a);
  EXPECT_EQ(run_guarded([&] {
              set_trap_hint(&func_b);
              (void)read_byte(m.base() + m.size());
            }),
            TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(last_trap_info().hint, &func_b);
  EXPECT_EQ(last_trap_info().fault_address, m.base() + m.size());
  set_trap_hint(nullptr);
}

TEST(Signals, Nested) {
  LinearMemory m = one_page();
  std::vector<TrapKind> inner;
  TrapKind outer = run_guarded([&] {
    inner.push_back(run_guarded([] { raise_trap(TrapKind::Unreachable); }));
    inner.push_back(run_guarded([&] { (void)read_byte(m.base() + m.size()); }));
    inner.push_back(run_guarded([&] {
      // Three deep: the trap goes to the innermost only.
      TrapKind k = run_guarded([] { raise_trap(TrapKind::IntegerOverflow); });
      if (k == TrapKind::IntegerOverflow) raise_trap(TrapKind::TableOutOfBounds);
    }));
    inner.push_back(run_guarded([] {}));
    EXPECT_TRUE(in_wasm());
    (void)read_byte(m.base() + 2 * m.size());
  });
  EXPECT_EQ(outer, TrapKind::MemoryOutOfBounds);
  ASSERT_EQ(inner.size(), 4u);
  EXPECT_EQ(inner[0], TrapKind::Unreachable);
  EXPECT_EQ(inner[1], TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(inner[2], TrapKind::TableOutOfBounds);
  EXPECT_EQ(inner[3], TrapKind::None);
  EXPECT_FALSE(in_wasm());
}

TEST(Signals, HostWasmHostWasm) {
  LinearMemory m = one_page();
  TrapKind inner = TrapKind::None;
  bool host_saw_wasm = true;
  TrapKind outer = run_guarded([&] {
    {
      HostCallScope host;  // wasm calls an import...
      host_saw_wasm = in_wasm();
      // ...which calls back into wasm, which traps.
      inner = run_guarded([&] { (void)read_byte(m.base() + m.size()); });
      host_saw_wasm = host_saw_wasm || in_wasm();
    }
    EXPECT_TRUE(in_wasm());
    raise_trap(TrapKind::Unreachable);
  });
  EXPECT_FALSE(host_saw_wasm);
  EXPECT_EQ(inner, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(outer, TrapKind::Unreachable);
}

TEST(Signals, ExceptionsPropagateAndPopTheGuard) {
  EXPECT_THROW(run_guarded([] { throw std::runtime_error("host"); }), std::runtime_error);
  EXPECT_FALSE(in_wasm());
  EXPECT_EQ(run_guarded([] { raise_trap(TrapKind::Unreachable); }), TrapKind::Unreachable);
}

TEST(Signals, ConcurrentTrapsOnSeveralThreads) {
  LinearMemory shared = one_page();
  std::atomic<bool> go{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      LinearMemory own = one_page();
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < 5000; ++i) {
        const LinearMemory& m = (i + t) % 2 ? own : shared;
        uint64_t off = m.size() + uint64_t(i) * 4099 % (uint64_t(1) << 32);
        if (fault_at(m.base() + off) != TrapKind::MemoryOutOfBounds) ++bad;
        if (run_guarded([&] { raise_trap(TrapKind::Unreachable); }) != TrapKind::Unreachable) ++bad;
        if (fault_at(m.base() + i % m.size()) != TrapKind::None) ++bad;
      }
    });
  }
  // Churn the registry while the handler is reading it.
  threads.emplace_back([&] {
    while (!go.load()) std::this_thread::yield();
    for (int i = 0; i < 2000; ++i) (void)one_page();
  });
  go = true;
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

size_t count_mappings() {
  std::ifstream f("/proc/self/maps");
  std::string line;
  size_t n = 0;
  while (std::getline(f, line)) ++n;
  return n;
}

TEST(Signals, AltStackPerThreadAndFreedAtExit) {
  std::thread([] {
    ASSERT_EQ(run_guarded([] {}), TrapKind::None);
    stack_t ss;
    ASSERT_EQ(sigaltstack(nullptr, &ss), 0);
    EXPECT_FALSE(ss.ss_flags & SS_DISABLE);
    EXPECT_GE(ss.ss_size, size_t(32) << 10);
  }).join();
  // Compare against threads that never enter wasm, so that mappings made by
  // the allocator or a sanitizer for each thread do not count.
  auto growth = [](bool guarded) {
    size_t before = count_mappings();
    for (int i = 0; i < 100; ++i)
      std::thread([guarded] {
        if (guarded) {
          EXPECT_EQ(run_guarded([] { raise_trap(TrapKind::Unreachable); }), TrapKind::Unreachable);
        }
      }).join();
    return long(count_mappings()) - long(before);
  };
  long plain = growth(false);
  long guarded = growth(true);
  // Leaking each thread's stack would add ~100 (or 200) mappings.
  EXPECT_LT(guarded, plain + 20);
}

TEST(Signals, RegistryIgnoresEmptyAndRecycles) {
  size_t n = guard_region_count();
  EXPECT_EQ(register_guard_region(nullptr, nullptr), 0u);
  static char buf[64];
  GuardRegionHandle h = register_guard_region(buf + 8, buf + 16);
  ASSERT_NE(h, 0u);
  EXPECT_FALSE(in_guard_region(buf + 7));
  EXPECT_TRUE(in_guard_region(buf + 8));
  EXPECT_TRUE(in_guard_region(buf + 15));
  EXPECT_FALSE(in_guard_region(buf + 16));
  unregister_guard_region(h);
  EXPECT_FALSE(in_guard_region(buf + 8));
  EXPECT_EQ(guard_region_count(), n);
  // A recycled slot is reused rather than leaked.
  GuardRegionHandle h2 = register_guard_region(buf, buf + 1);
  EXPECT_EQ(h2, h);
  unregister_guard_region(h2);
  unregister_guard_region(0);  // no-op
}

// --- Faults that are not wasm traps must still kill the process. ---

TEST(SignalsDeathTest, UnregisteredPageInsideGuardCrashes) {
  void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(page, MAP_FAILED);
  install_signal_handlers();
  EXPECT_SEGV_DEATH({
    no_core_dump();
    (void)fault_at(page);
  });
  munmap(page, 4096);
}

TEST(SignalsDeathTest, RegisteredReservationOutsideGuardCrashes) {
  LinearMemory m = one_page();
  install_signal_handlers();
  EXPECT_SEGV_DEATH({
    no_core_dump();
    (void)read_byte(m.base() + m.size());
  });
}

TEST(SignalsDeathTest, RegisteredReservationInHostCodeCrashes) {
  LinearMemory m = one_page();
  EXPECT_SEGV_DEATH({
    no_core_dump();
    (void)run_guarded([&] {
      HostCallScope host;  // e.g. a WASI call copying out of memory
      (void)read_byte(m.base() + m.size());
    });
  });
}

TEST(SignalsDeathTest, SentSignalIsNotATrap) {
  install_signal_handlers();
  EXPECT_SEGV_DEATH({
    no_core_dump();
    (void)run_guarded([] { raise(SIGSEGV); });
  });
}

TEST(SignalsDeathTest, RaiseTrapOutsideGuardAborts) {
  EXPECT_DEATH(
      {
        no_core_dump();
        raise_trap(TrapKind::Unreachable);
      },
      "raised outside run_guarded");
}

// A handler installed before ours gets the faults that are not ours. Runs in
// a fresh process (threadsafe style re-executes the binary) so that ours is
// not yet installed when the test installs its own.
std::atomic<int> g_prev_calls{0};
void* g_fixable_page = nullptr;

void prev_handler(int, siginfo_t* info, void*) {
  ++g_prev_calls;
  if (info->si_addr == g_fixable_page) {
    mprotect(g_fixable_page, 4096, PROT_READ | PROT_WRITE);
    return;  // fixed: the access is retried and succeeds
  }
  static const char msg[] = "previous handler\n";
  (void)!write(2, msg, sizeof msg - 1);
  _exit(42);
}

void install_prev_then_ours() {
  no_core_dump();
  struct sigaction sa{};
  sa.sa_sigaction = prev_handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, nullptr);
  install_signal_handlers();
}

TEST(SignalsDeathTest, ChainsToPreviousHandler) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        install_prev_then_ours();
        g_fixable_page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        LinearMemory m = one_page();
        // A fault the previous handler resolves: execution just continues.
        if (fault_at(g_fixable_page) != TrapKind::None || g_prev_calls != 1) _exit(1);
        // Our own traps do not reach it.
        if (fault_at(m.base() + m.size()) != TrapKind::MemoryOutOfBounds || g_prev_calls != 1) _exit(2);
        // A fault in our reservation outside wasm does.
        (void)read_byte(m.base() + m.size());
        _exit(3);
      },
      testing::ExitedWithCode(42), "previous handler");
}

}  // namespace
}  // namespace wisp
