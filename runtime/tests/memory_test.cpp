#include "runtime/vm/memory.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wisp {
namespace {

Limits limits32(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  Limits l;
  l.min = min;
  l.has_max = max.has_value();
  l.max = max.value_or(0);
  return l;
}

Limits limits64(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  Limits l = limits32(min, max);
  l.is64 = true;
  return l;
}

LinearMemory make(const Limits& l, uint64_t limit = LinearMemory::kNoLimit) {
  auto r = LinearMemory::create(l, limit);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return std::move(r).value();
}

// Accesses the way compiled wasm does: 64-bit sum of a u32 address and a u32
// offset, no bounds check. aligned(1) so misaligned accesses are well-formed.
// Packed structs because GCC drops alignment attributes on typedefs used
// as template arguments, and a misaligned movdqa raises #GP, not #PF.
typedef uint8_t v128_raw __attribute__((vector_size(16)));
struct [[gnu::packed]] u8 { uint8_t v; };
struct [[gnu::packed]] u32 { uint32_t v; };
struct [[gnu::packed]] u64 { uint64_t v; };
struct [[gnu::packed]] v128 { v128_raw v; };

template <class T>
auto load(const LinearMemory& m, uint32_t addr, uint32_t offset) {
  return reinterpret_cast<const volatile T*>(m.base() + uint64_t(addr) + offset)->v;
}
template <class T>
void store(const LinearMemory& m, uint32_t addr, uint32_t offset) {
  reinterpret_cast<volatile T*>(m.base() + uint64_t(addr) + offset)->v = decltype(T::v){};
}

template <class T>
TrapKind guarded_load(const LinearMemory& m, uint32_t addr, uint32_t offset) {
  return run_guarded([&] { (void)load<T>(m, addr, offset); });
}
template <class T>
TrapKind guarded_store(const LinearMemory& m, uint32_t addr, uint32_t offset) {
  return run_guarded([&] { store<T>(m, addr, offset); });
}

TEST(LinearMemory, CreateOnePage) {
  LinearMemory m = make(limits32(1));
  ASSERT_NE(m.base(), nullptr);
  EXPECT_EQ(m.size(), kPageSize);
  EXPECT_EQ(m.pages(), 1u);
  EXPECT_EQ(m.max_pages(), kMaxPages32);
  EXPECT_FALSE(m.has_max());
  EXPECT_FALSE(m.is64());
  EXPECT_FALSE(m.needs_bounds_checks());
  EXPECT_EQ(m.reservation_begin(), m.base());
  EXPECT_EQ(uint64_t(m.reservation_end() - m.reservation_begin()),
            LinearMemory::kGuardedReservationBytes);
  for (uint64_t i = 0; i < m.size(); i += 4096) EXPECT_EQ(m.base()[i], 0);
  m.base()[0] = 1;
  m.base()[kPageSize - 1] = 2;
  EXPECT_EQ(m.base()[kPageSize - 1], 2);
}

TEST(LinearMemory, ZeroPagesAndDefault) {
  LinearMemory m = make(limits32(0, 0));
  EXPECT_EQ(m.size(), 0u);
  EXPECT_NE(m.base(), nullptr);
  EXPECT_EQ(m.grow(0), 0);
  EXPECT_EQ(m.grow(1), -1);
  EXPECT_EQ(guarded_load<u8>(m, 0, 0), TrapKind::MemoryOutOfBounds);

  LinearMemory none;
  EXPECT_EQ(none.base(), nullptr);
  EXPECT_EQ(none.size(), 0u);
}

TEST(LinearMemory, GrowToMaxThenBeyond) {
  LinearMemory m = make(limits32(1, 5));
  EXPECT_EQ(m.max_pages(), 5u);
  EXPECT_EQ(m.grow(0), 1);
  EXPECT_EQ(m.grow(2), 1);
  EXPECT_EQ(m.pages(), 3u);
  EXPECT_EQ(m.grow(0), 3);
  EXPECT_EQ(m.grow(3), -1);  // 6 > 5: fails, size unchanged
  EXPECT_EQ(m.pages(), 3u);
  EXPECT_EQ(m.grow(2), 3);
  EXPECT_EQ(m.pages(), 5u);
  EXPECT_EQ(m.grow(1), -1);
  EXPECT_EQ(m.grow(UINT64_MAX), -1);  // no wrap-around
  EXPECT_EQ(m.grow(0), 5);
}

TEST(LinearMemory, GrowBeyond32BitLimit) {
  LinearMemory m = make(limits32(0));
  EXPECT_EQ(m.grow(kMaxPages32 + 1), -1);
  EXPECT_EQ(m.grow(uint64_t(1) << 32), -1);
  EXPECT_EQ(m.pages(), 0u);
  // The whole 4 GiB is allowed (address space only; nothing is touched).
  EXPECT_EQ(m.grow(kMaxPages32), 0);
  EXPECT_EQ(m.size(), uint64_t(1) << 32);
  EXPECT_EQ(m.grow(1), -1);
  EXPECT_EQ(m.grow(0), int64_t(kMaxPages32));
  EXPECT_EQ(load<u8>(m, 0xFFFFFFFF, 0), 0);
}

TEST(LinearMemory, FreshPagesAreZeroAndOldDataKept) {
  LinearMemory m = make(limits32(1, 10));
  std::memset(m.base(), 0xAB, m.size());
  ASSERT_EQ(m.grow(3), 1);
  for (uint64_t i = 0; i < kPageSize; i += 997) EXPECT_EQ(m.base()[i], 0xAB);
  for (uint64_t i = kPageSize; i < m.size(); i += 1009) ASSERT_EQ(m.base()[i], 0) << i;
  m.base()[m.size() - 1] = 7;
}

TEST(LinearMemory, InvalidLimits) {
  EXPECT_FALSE(LinearMemory::create(limits32(kMaxPages32 + 1)).ok());
  EXPECT_FALSE(LinearMemory::create(limits32(0, kMaxPages32 + 1)).ok());
  EXPECT_FALSE(LinearMemory::create(limits32(3, 2)).ok());
  EXPECT_FALSE(LinearMemory::create(limits64(LinearMemory::kMaxPages64 + 1)).ok());
}

TEST(LinearMemory, ByteLimit) {
  // Creation fails when the minimum is over the limit.
  EXPECT_FALSE(LinearMemory::create(limits32(3), 2 * kPageSize).ok());
  LinearMemory m = make(limits32(1), 3 * kPageSize + 100);
  EXPECT_EQ(m.limit_bytes(), 3 * kPageSize + 100);
  EXPECT_EQ(m.grow(2), 1);
  EXPECT_EQ(m.grow(1), -1);  // 4 pages > limit
  m.set_limit_bytes(5 * kPageSize);
  EXPECT_EQ(m.grow(2), 3);
  EXPECT_EQ(m.grow(1), -1);
  m.set_limit_bytes(kPageSize);  // below current size: no shrink, no growth
  EXPECT_EQ(m.pages(), 5u);
  EXPECT_EQ(m.grow(0), 5);
  EXPECT_EQ(m.grow(1), -1);
}

TEST(LinearMemory, Move) {
  size_t before = guard_region_count();
  LinearMemory a = make(limits32(1, 4));
  uint8_t* base = a.base();
  a.base()[5] = 42;
  LinearMemory b(std::move(a));
  EXPECT_EQ(a.base(), nullptr);
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(b.base(), base);
  EXPECT_EQ(b.base()[5], 42);
  EXPECT_EQ(b.max_pages(), 4u);
  LinearMemory c = make(limits32(2));
  EXPECT_EQ(guard_region_count(), before + 2);
  c = std::move(b);  // c's old memory is released
  EXPECT_EQ(guard_region_count(), before + 1);
  EXPECT_EQ(c.base(), base);
  EXPECT_EQ(c.pages(), 1u);
  EXPECT_EQ(c.grow(3), 1);
}

TEST(LinearMemory, BoundaryAccesses) {
  LinearMemory m = make(limits32(1, 2));
  const uint32_t end = uint32_t(m.size());
  constexpr TrapKind kNone = TrapKind::None, kOob = TrapKind::MemoryOutOfBounds;

  // Last valid byte / word / vector.
  EXPECT_EQ(guarded_load<u8>(m, end - 1, 0), kNone);
  EXPECT_EQ(guarded_load<u8>(m, 0, end - 1), kNone);
  EXPECT_EQ(guarded_store<u8>(m, end - 1, 0), kNone);
  EXPECT_EQ(guarded_load<u32>(m, end - 4, 0), kNone);
  EXPECT_EQ(guarded_load<u64>(m, end - 8, 0), kNone);
  EXPECT_EQ(guarded_load<v128>(m, end - 16, 0), kNone);
  EXPECT_EQ(guarded_store<v128>(m, end - 20, 4), kNone);

  // Straddling the end: some bytes in, some out.
  EXPECT_EQ(guarded_load<u32>(m, end - 3, 0), kOob);
  EXPECT_EQ(guarded_load<u32>(m, end - 4, 1), kOob);
  EXPECT_EQ(guarded_store<u32>(m, end - 1, 0), kOob);
  EXPECT_EQ(guarded_load<u64>(m, 0, end - 7), kOob);
  EXPECT_EQ(guarded_load<v128>(m, end - 15, 0), kOob);
  EXPECT_EQ(guarded_store<v128>(m, end - 8, 0), kOob);

  // One byte past.
  EXPECT_EQ(guarded_load<u8>(m, end, 0), kOob);
  EXPECT_EQ(guarded_store<u8>(m, 0, end), kOob);

  // Far past, inside the 8 GiB.
  EXPECT_EQ(guarded_load<u8>(m, 0x80000000u, 0), kOob);
  EXPECT_EQ(guarded_load<u32>(m, 0x80000000u, 0x70000000u), kOob);
  EXPECT_EQ(guarded_store<u64>(m, 0xFFFFFFF8u, 0), kOob);

  // The largest effective address wasm can form.
  EXPECT_EQ(guarded_load<u8>(m, 0xFFFFFFFFu, 0xFFFFFFFFu), kOob);
  EXPECT_EQ(guarded_load<v128>(m, 0xFFFFFFFFu, 0xFFFFFFFFu), kOob);
  EXPECT_EQ(guarded_store<v128>(m, 0xFFFFFFFFu, 0xFFFFFFFFu), kOob);
  // ...and its last byte, so the reservation really covers a full 16-byte
  // access there even if the first byte were somehow mapped.
  EXPECT_EQ(run_guarded([&] {
              (void)*reinterpret_cast<volatile uint8_t*>(m.base() + 0x1FFFFFFFEull + 15);
            }),
            kOob);
  EXPECT_LE(m.base() + 0x1FFFFFFFEull + 16, m.reservation_end());

  // The fault address is reported.
  EXPECT_EQ(guarded_load<u8>(m, 0x12345678u, 0x100u), kOob);
  EXPECT_EQ(last_trap_info().fault_address, m.base() + 0x12345778u);
  EXPECT_EQ(last_trap_info().kind, kOob);
  EXPECT_EQ(last_trap_info().signal, SIGSEGV);
  EXPECT_NE(last_trap_info().machine_pc, nullptr);

  // After growing, the old boundary is valid and the new one traps.
  ASSERT_EQ(m.grow(1), 1);
  EXPECT_EQ(guarded_load<u32>(m, end - 3, 0), kNone);
  EXPECT_EQ(guarded_load<u8>(m, end, 0), kNone);
  EXPECT_EQ(guarded_load<u8>(m, 2 * end - 1, 0), kNone);
  EXPECT_EQ(guarded_load<u8>(m, 2 * end, 0), kOob);
  EXPECT_EQ(guarded_load<v128>(m, 2 * end - 15, 0), kOob);
}

// A trapping store leaves memory untouched, including the in-bounds bytes of
// a store that straddles the end.
TEST(LinearMemory, StraddlingStoreWritesNothing) {
  LinearMemory m = make(limits32(1));
  typedef uint8_t v16 __attribute__((vector_size(16)));
  v16 ones;
  std::memset(&ones, 0xFF, sizeof ones);
  uint8_t* end = m.base() + m.size();
  EXPECT_EQ(run_guarded([&] { wasm_store<uint16_t>(end - 1, 0xFFFF); }), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(run_guarded([&] { wasm_store<uint32_t>(end - 3, ~0u); }), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(run_guarded([&] { wasm_store<uint64_t>(end - 7, ~uint64_t(0)); }), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(run_guarded([&] { wasm_store<v16>(end - 15, ones); }), TrapKind::MemoryOutOfBounds);
  for (int i = 1; i <= 16; ++i) EXPECT_EQ(end[-i], 0) << i;
  // The same helpers in bounds, misaligned on purpose.
  EXPECT_EQ(run_guarded([&] { wasm_store<v16>(end - 17, ones); }), TrapKind::None);
  EXPECT_EQ(wasm_load<uint32_t>(end - 5), ~0u);
  EXPECT_EQ(wasm_load<uint8_t>(end - 1), 0);
  v16 got;
  EXPECT_EQ(run_guarded([&] { got = wasm_load<v16>(end - 15); }), TrapKind::MemoryOutOfBounds);
}

TEST(LinearMemory, Memory64) {
  size_t regions = guard_region_count();
  LinearMemory m = make(limits64(1, 10));
  EXPECT_TRUE(m.is64());
  EXPECT_TRUE(m.needs_bounds_checks());
  EXPECT_EQ(guard_region_count(), regions);  // not a trap region
  EXPECT_EQ(uint64_t(m.reservation_end() - m.reservation_begin()), 10 * kPageSize);
  EXPECT_EQ(m.grow(9), 1);
  EXPECT_EQ(m.grow(1), -1);
  m.base()[m.size() - 1] = 1;
  EXPECT_TRUE(m.in_bounds(m.size() - 1, 1));
  EXPECT_FALSE(m.in_bounds(m.size() - 1, 2));
  EXPECT_FALSE(m.in_bounds(UINT64_MAX, 2));
  EXPECT_FALSE(m.in_bounds(2, UINT64_MAX));

  // No maximum: the implied 2^48 pages, but reservation capped.
  LinearMemory big = make(limits64(0));
  EXPECT_EQ(big.max_pages(), LinearMemory::kMaxPages64);
  EXPECT_EQ(uint64_t(big.reservation_end() - big.reservation_begin()),
            LinearMemory::kMemory64ReserveCap);
  // More than 4 GiB is the point of memory64.
  EXPECT_EQ(big.grow(kMaxPages32 + 16), 0);
  big.base()[big.size() - 1] = 1;
  EXPECT_EQ(big.grow(LinearMemory::kMaxPages64), -1);
  EXPECT_EQ(big.grow(LinearMemory::kMemory64ReserveCap / kPageSize), -1);

  // A byte limit shrinks the reservation too.
  LinearMemory lim = make(limits64(1), 4 * kPageSize);
  EXPECT_EQ(uint64_t(lim.reservation_end() - lim.reservation_begin()), 4 * kPageSize);
  EXPECT_EQ(lim.grow(3), 1);
  EXPECT_EQ(lim.grow(1), -1);
}

TEST(LinearMemory, ManyCreatedAndDestroyed) {
  const size_t before = guard_region_count();
  for (int round = 0; round < 20; ++round) {
    std::vector<LinearMemory> mems;
    for (int i = 0; i < 300; ++i) mems.push_back(make(limits32(1)));
    EXPECT_EQ(guard_region_count(), before + 300);
    // Every live memory traps; none is confused with another.
    for (auto& m : mems) ASSERT_EQ(guarded_load<u8>(m, uint32_t(m.size()), 0), TrapKind::MemoryOutOfBounds);
  }
  EXPECT_EQ(guard_region_count(), before);
  for (int i = 0; i < 5000; ++i) (void)make(limits32(1));
  EXPECT_EQ(guard_region_count(), before);
}

// Empties the cache and sets it up as the default configuration.
void reset_cache() {
  LinearMemory::configure_reservation_cache(0, 0);
  LinearMemory::configure_reservation_cache(8, uint64_t(2) << 20);
}

void fill_all(LinearMemory& m, uint8_t v) { std::memset(m.base(), v, m.size()); }

bool all_zero(const LinearMemory& m) {
  for (uint64_t i = 0; i < m.size(); ++i)
    if (m.base()[i] != 0) return false;
  return true;
}

TEST(ReservationCache, ReusedMemoryIsZeroAndClosed) {
  reset_cache();
  const size_t regions = guard_region_count();
  uint8_t* base;
  {
    LinearMemory m = make(limits32(1, 100));
    fill_all(m, 0x5A);
    // Past the 2 MiB resident budget, so both scrubbing paths run.
    ASSERT_EQ(m.grow(39), 1);
    fill_all(m, 0xA5);
    base = m.base();
  }
  EXPECT_EQ(LinearMemory::cached_reservations(), 1u);
  EXPECT_EQ(guard_region_count(), regions);
  EXPECT_FALSE(in_guard_region(base));  // cached is not live: faults crash

  LinearMemory m = make(limits32(1, 100));
  EXPECT_EQ(m.base(), base);
  EXPECT_EQ(LinearMemory::cached_reservations(), 0u);
  EXPECT_EQ(guard_region_count(), regions + 1);
  EXPECT_FALSE(m.needs_bounds_checks());
  EXPECT_TRUE(all_zero(m));
  // The old memory's size does not leak into the new one's bounds.
  EXPECT_EQ(guarded_load<u8>(m, uint32_t(kPageSize), 0), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(guarded_load<u8>(m, uint32_t(2 * kPageSize), 0), TrapKind::MemoryOutOfBounds);
  ASSERT_EQ(m.grow(49), 1);
  EXPECT_TRUE(all_zero(m));
  EXPECT_EQ(guarded_load<u8>(m, uint32_t(m.size()), 0), TrapKind::MemoryOutOfBounds);
}

TEST(ReservationCache, LargerMinimumThanCached) {
  reset_cache();
  uint8_t* base;
  {
    LinearMemory m = make(limits32(1));
    fill_all(m, 1);
    base = m.base();
  }
  LinearMemory m = make(limits32(3));
  EXPECT_EQ(m.base(), base);
  EXPECT_EQ(m.size(), 3 * kPageSize);
  EXPECT_TRUE(all_zero(m));
  fill_all(m, 2);
  EXPECT_EQ(guarded_load<u8>(m, uint32_t(m.size()), 0), TrapKind::MemoryOutOfBounds);
}

TEST(ReservationCache, BoundedAndDisableable) {
  reset_cache();
  LinearMemory::configure_reservation_cache(3, uint64_t(1) << 20);
  {
    std::vector<LinearMemory> mems;
    for (int i = 0; i < 10; ++i) mems.push_back(make(limits32(1)));
  }
  EXPECT_EQ(LinearMemory::cached_reservations(), 3u);
  // memory64 and unguarded memories are never cached.
  (void)make(limits64(1));
  EXPECT_EQ(LinearMemory::cached_reservations(), 3u);
  LinearMemory::configure_reservation_cache(0, 0);
  EXPECT_EQ(LinearMemory::cached_reservations(), 0u);
  (void)make(limits32(1));
  EXPECT_EQ(LinearMemory::cached_reservations(), 0u);
  reset_cache();
}

TEST(ReservationCache, ConcurrentCreateDestroy) {
  reset_cache();
  const size_t regions = guard_region_count();
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        LinearMemory m = make(limits32(1 + (i + t) % 3));
        if (!all_zero(m)) ++bad;
        fill_all(m, uint8_t(t + 1));
        if (guarded_load<u8>(m, uint32_t(m.size()), 0) != TrapKind::MemoryOutOfBounds) ++bad;
        if (i % 7 == 0 && m.grow(2) < 0) ++bad;
        fill_all(m, uint8_t(t + 1));
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(guard_region_count(), regions);
  EXPECT_LE(LinearMemory::cached_reservations(), 8u);
}

uint64_t vm_size_bytes() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmSize:", 0) == 0) return std::stoull(line.substr(7)) * 1024;
  return 0;
}

// With too little address space for 8 GiB, a 32-bit memory still works but
// asks for explicit bounds checks, and is not a trap region.
TEST(LinearMemoryDeathTest, FallbackWhenReservationFails) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto body = [] {
    LinearMemory::configure_reservation_cache(0, 0);  // a cached one would not need reserving
    size_t regions = guard_region_count();
    rlimit rl{};
    rl.rlim_cur = rl.rlim_max = vm_size_bytes() + (uint64_t(1) << 30);
    if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(10);
    auto r = LinearMemory::create(limits32(1, 16));
    if (!r.ok()) _exit(11);
    LinearMemory& m = r.value();
    if (!m.needs_bounds_checks()) _exit(12);
    if (uint64_t(m.reservation_end() - m.reservation_begin()) != 16 * kPageSize) _exit(13);
    if (guard_region_count() != regions) _exit(14);
    if (m.grow(15) != 1 || m.grow(1) != -1) _exit(15);
    m.base()[m.size() - 1] = 1;
    // No maximum: wants 4 GiB, gets what the limit allows.
    auto r2 = LinearMemory::create(limits32(2));
    if (!r2.ok()) _exit(16);
    LinearMemory& n = r2.value();
    uint64_t reserved = uint64_t(n.reservation_end() - n.reservation_begin());
    if (!n.needs_bounds_checks() || reserved >= (uint64_t(1) << 30) || reserved < 2 * kPageSize) _exit(17);
    if (n.grow(reserved / kPageSize - 2) != 2 || n.grow(1) != -1) _exit(18);
    _exit(0);
  };
  EXPECT_EXIT(body(), testing::ExitedWithCode(0), "");
}

// Cost measurements for MEMORY.md. Run with --gtest_also_run_disabled_tests.
TEST(LinearMemoryBench, DISABLED_CreateDestroyGrow) {
  using clock = std::chrono::steady_clock;
  constexpr int kN = 20000;
  auto time_us = [](auto&& body) {
    auto t0 = clock::now();
    for (int i = 0; i < kN; ++i) body();
    return std::chrono::duration<double, std::micro>(clock::now() - t0).count() / kN;
  };
  // Touch every OS page of the first wasm page, as data segments and the
  // shadow stack of a small module would.
  auto touch = [](LinearMemory& m) {
    for (uint64_t off = 0; off < kPageSize; off += 4096) m.base()[off] = 1;
  };
  for (size_t entries : {size_t(0), size_t(8)}) {
    LinearMemory::configure_reservation_cache(entries, uint64_t(2) << 20);
    std::printf("reservation cache %s:\n", entries ? "on (8 entries, 2 MiB resident)" : "off");
    std::printf("  create+destroy 1-page memory32:            %6.2f us\n",
                time_us([&] { (void)make(limits32(1)); }));
    std::printf("  ... touching all 16 OS pages of it:        %6.2f us\n", time_us([&] {
                  LinearMemory m = make(limits32(1));
                  touch(m);
                }));
    std::printf("  create+destroy 17-page memory32, 2 touched: %6.2f us\n", time_us([&] {
                  LinearMemory m = make(limits32(17));
                  m.base()[0] = 1;
                  m.base()[m.size() - 1] = 1;
                }));
  }
  LinearMemory::configure_reservation_cache(8, uint64_t(2) << 20);
  std::printf("bare mmap+munmap of the 8 GiB reservation:   %6.2f us\n", time_us([] {
                void* p = mmap(nullptr, LinearMemory::kGuardedReservationBytes, PROT_NONE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
                munmap(p, LinearMemory::kGuardedReservationBytes);
              }));
  std::printf("create+destroy 1-page memory64 (max 16):     %6.2f us\n",
              time_us([&] { (void)make(limits64(1, 16)); }));
  LinearMemory g = make(limits32(0));
  std::printf("grow by 1 page (no touch):                   %6.2f us\n", time_us([&] { (void)g.grow(1); }));
  std::printf("grow(0):                                     %6.3f us\n", time_us([&] { (void)g.grow(0); }));
  int sink = 0;
  std::printf("run_guarded, no trap:                        %6.3f us\n",
              time_us([&] { sink += int(run_guarded([&] { sink++; })); }));
  std::printf("run_guarded + raise_trap:                    %6.3f us\n",
              time_us([&] { sink += int(run_guarded([] { raise_trap(TrapKind::Unreachable); })); }));
  std::printf("run_guarded + memory fault trap:             %6.2f us\n",
              time_us([&] { sink += int(guarded_load<u8>(g, 0xFFFFFFFF, 100)); }));
}

}  // namespace
}  // namespace wisp
