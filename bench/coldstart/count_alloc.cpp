// Counting global allocator for wisp_coldstart: every operator new/delete
// goes through malloc and, while counting is on, adds or subtracts the
// block's usable size (malloc_usable_size, so allocator rounding counts) to
// a live-bytes counter. Single-threaded use only; off by default, so the
// timed passes pay one predictable branch per allocation.
#include "bench/coldstart/count_alloc.hpp"

#include <malloc.h>

#include <cstdlib>
#include <new>

namespace wisp::bench::alloc {
bool counting = false;
int64_t live_bytes = 0;
uint64_t allocations = 0;
}  // namespace wisp::bench::alloc

namespace {

using namespace wisp::bench;

inline void* counted(void* p) {
  if (alloc::counting && p) {
    alloc::live_bytes += int64_t(malloc_usable_size(p));
    ++alloc::allocations;
  }
  return p;
}

inline void uncounted(void* p) {
  if (!p) return;
  if (alloc::counting) alloc::live_bytes -= int64_t(malloc_usable_size(p));
  free(p);
}

void* allocate(size_t n) {
  void* p = malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return counted(p);
}

void* allocate_aligned(size_t n, std::align_val_t al) {
  size_t a = size_t(al) < sizeof(void*) ? sizeof(void*) : size_t(al);
  void* p = nullptr;
  if (posix_memalign(&p, a, n ? n : 1) != 0) throw std::bad_alloc();
  return counted(p);
}

}  // namespace

void* operator new(size_t n) { return allocate(n); }
void* operator new[](size_t n) { return allocate(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return counted(malloc(n ? n : 1)); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return counted(malloc(n ? n : 1)); }
void* operator new(size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void* operator new[](size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return allocate_aligned(n, a);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t& t) noexcept {
  return operator new(n, a, t);
}

void operator delete(void* p) noexcept { uncounted(p); }
void operator delete[](void* p) noexcept { uncounted(p); }
void operator delete(void* p, size_t) noexcept { uncounted(p); }
void operator delete[](void* p, size_t) noexcept { uncounted(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { uncounted(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { uncounted(p); }
void operator delete(void* p, std::align_val_t) noexcept { uncounted(p); }
void operator delete[](void* p, std::align_val_t) noexcept { uncounted(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { uncounted(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { uncounted(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { uncounted(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { uncounted(p); }
