// Wasm linear memory backed by a fixed virtual-memory reservation.
//
// The reservation is made once, at creation, and never moves: base() is
// stable for the memory's lifetime, so the interpreter and JIT may cache it
// across calls and memory.grow. Growing only changes page protections.
//
// 32-bit memories (the common case) reserve kGuardedReservationBytes, enough
// that base + any u32 address + any u32 offset + a 16-byte access stays
// inside the reservation. Everything past size() is PROT_NONE, so an
// out-of-bounds access faults, and signals.hpp turns the fault into a trap
// when it happens inside run_guarded(). Such memories report
// needs_bounds_checks() == false and callers may skip explicit checks.
//
// memory64 memories, and 32-bit memories whose big reservation failed (e.g.
// under `ulimit -v`), reserve at most their maximum size (capped), have no
// guard region, and report needs_bounds_checks() == true: callers compare
// against size() themselves. Growing past the reservation fails (-1), which
// the spec permits.
//
// Host code (WASI and other imports) always checks bounds explicitly, even
// on guarded memories: faults outside wasm code crash the process.
#pragma once
#include <cstdint>
#include <cstring>

#include "runtime/wasm/result.hpp"
#include "runtime/vm/signals.hpp"
#include "runtime/wasm/types.hpp"

namespace wisp {

class LinearMemory {
 public:
  static constexpr uint64_t kNoLimit = UINT64_MAX;
  // 8 GiB covers address + offset (both < 4 GiB); the extra wasm page covers
  // the access width hanging off the end, whatever the OS page size.
  static constexpr uint64_t kGuardedReservationBytes = (uint64_t(8) << 30) + kPageSize;
  // memory64 never reserves more than this much address space.
  static constexpr uint64_t kMemory64ReserveCap = uint64_t(64) << 30;
  // memory64 page limit implied by a 64-bit address space.
  static constexpr uint64_t kMaxPages64 = uint64_t(1) << 48;

  // Creates a memory of limits.min pages. limit_bytes caps the memory's size
  // for its whole life (a --max-memory setting); creation fails if the
  // minimum already exceeds it. Fails if the address space cannot be
  // reserved at all, or if limits are out of range for the index type.
  static Result<LinearMemory> create(const Limits& limits, uint64_t limit_bytes = kNoLimit);

  LinearMemory() = default;  // no memory: size 0, base nullptr
  LinearMemory(LinearMemory&& o) noexcept;
  LinearMemory& operator=(LinearMemory&& o) noexcept;
  LinearMemory(const LinearMemory&) = delete;
  LinearMemory& operator=(const LinearMemory&) = delete;
  ~LinearMemory();

  uint8_t* base() const { return base_; }
  uint64_t size() const { return size_; }  // bytes
  uint64_t pages() const { return size_ / kPageSize; }
  // Declared maximum, or the index type's limit when none was declared.
  uint64_t max_pages() const { return max_pages_; }
  bool has_max() const { return has_max_; }
  bool is64() const { return is64_; }
  // False only for guarded 32-bit memories.
  bool needs_bounds_checks() const { return !guarded_; }
  uint8_t* reservation_begin() const { return base_; }
  uint8_t* reservation_end() const { return base_ + reserved_; }

  // Grows by delta_pages; returns the old size in pages, or -1 if the new
  // size would exceed max_pages(), the byte limit, the reservation, or the OS
  // refuses. New pages read as zero. grow(0) returns pages().
  int64_t grow(uint64_t delta_pages);

  // Maps bytes [0, len) of the file fd over the start of the memory,
  // private and copy-on-write (a memory image: memory_image.hpp). len must
  // be whole OS pages within size(), on a guarded memory. False if the OS
  // refuses (the memory is then unchanged).
  // src, if given, is the same bytes readable elsewhere: what reset()
  // copies back over pages the guest wrote.
  bool map_image(int fd, uint64_t len, const uint8_t* src = nullptr);
  // The length of the image mapped (0: none).
  uint64_t image_bytes() const { return image_bytes_; }

  // Makes the memory read as it did when it was created with `bytes` bytes
  // and its image (if one is mapped) was mapped. The image's pages the
  // guest wrote get the image's bytes copied back when the kernel can say
  // which they are (PAGEMAP_SCAN, Linux 6.7) and they are at most
  // kResetResidentBytes, else every image page is dropped (MADV_DONTNEED:
  // it reads as the image again); the first kResetResidentBytes past the
  // image are zeroed in place, the rest dropped; pages past `bytes` are
  // closed again. MEMORY.md has why and the measurements. For reusing an
  // instance (Store::reset); false, and the memory unusable for that, on a
  // memory without guard pages or when `bytes` is past its size.
  bool reset(uint64_t bytes);
  static constexpr uint64_t kResetResidentBytes = uint64_t(1) << 20;

  // Caps future growth at `bytes` (rounded down to whole pages). Does not
  // shrink a memory that is already larger.
  void set_limit_bytes(uint64_t bytes) { limit_bytes_ = bytes; }
  uint64_t limit_bytes() const { return limit_bytes_; }

  // Reservation cache. Destroyed guarded memories are scrubbed to zero and
  // kept (up to max_entries) for reuse by the next create(), which then
  // skips the mmap and, more importantly, the page faults on pages that are
  // still resident: up to keep_resident_bytes of each memory stay resident
  // (zeroed in place); the rest is returned to the OS. Process-wide and
  // thread-safe; shrinking max_entries unmaps the surplus. (0, 0) disables.
  static void configure_reservation_cache(size_t max_entries, uint64_t keep_resident_bytes);
  static size_t cached_reservations();

  // Explicit check for host code and unguarded memories: whether
  // [addr, addr + len) is inside the memory. Overflow-safe.
  bool in_bounds(uint64_t addr, uint64_t len) const {
    return addr <= size_ && len <= size_ - addr;
  }

 private:
  void release();

  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t reserved_ = 0;  // bytes of address space at base_
  uint64_t max_pages_ = 0;
  uint64_t limit_bytes_ = kNoLimit;
  uint64_t image_bytes_ = 0;  // a mapped image's length (map_image)
  const uint8_t* image_src_ = nullptr;  // its bytes, readable (map_image's src)
  GuardRegionHandle region_ = 0;
  bool has_max_ = false;
  bool is64_ = false;
  bool guarded_ = false;
};

// How interpreted (and, as a model, compiled) wasm should touch a guarded
// memory at p = base + address + offset, with no bounds check.
//
// memcpy, not a typed dereference: the address may be misaligned, and an
// aligned vector instruction (movdqa) on a misaligned address raises #GP,
// which arrives as SIGSEGV without a fault address and is not turned into a
// trap. memcpy compiles to a single unaligned-safe load or store.
template <class T>
inline T wasm_load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A store that straddles the end of memory must trap without writing the
// in-bounds part. x86 guarantees that; AArch64 (and RISC-V) allow the store
// to be torn, writing the bytes before the guard page and then faulting.
// Reading the store's last byte first makes the fault happen before any
// write: if the last byte is in bounds, every byte is.
template <class T>
inline void wasm_store(uint8_t* p, T v) {
#if !defined(__x86_64__) && !defined(__i386__)
  if constexpr (sizeof(T) > 1) (void)*reinterpret_cast<const volatile uint8_t*>(p + sizeof(T) - 1);
#endif
  std::memcpy(p, &v, sizeof v);
}

}  // namespace wisp
