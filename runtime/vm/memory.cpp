#include "runtime/vm/memory.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wisp {

namespace {

constexpr uint64_t kFourGiB = uint64_t(1) << 32;

// MAP_NORESERVE: the reservation is address space only. Without it, the
// default overcommit heuristic may refuse 8 GiB on small machines, and
// strict overcommit (mode 2) would charge it all up front.
void* reserve(uint64_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

Error alloc_error(std::string msg) { return make_error(ErrorKind::Other, std::move(msg)); }

uint64_t os_page_size() {
  static const uint64_t size = uint64_t(sysconf(_SC_PAGESIZE));
  return size;
}

// ---------------------------------------------------------------------------
// Reservation cache.
//
// Measured (see MEMORY.md): mmap+munmap of the 8 GiB reservation costs about
// the same as for 64 KiB, so the reservation itself is cheap. What is not
// cheap is the first touch of each page afterwards (a page fault, ~1 us in
// a VM), and a freshly mapped memory faults on every page the module's data
// segments and stack touch. Reusing a reservation whose touched pages are
// still mapped, zeroed in place with memset, avoids those faults.

struct CachedReservation {
  uint8_t* base;
  uint64_t committed;  // bytes that are read/write (and zero)
};

struct ReservationCache {
  std::mutex mu;
  std::vector<CachedReservation> entries;
  size_t max_entries = 8;
  uint64_t keep_resident = uint64_t(2) << 20;
};

ReservationCache& cache() {
  // Leaked on purpose: memories may be destroyed during static destruction.
  static ReservationCache* c = new ReservationCache;
  return *c;
}

// Makes [p, p + len) read as zero. Pages still resident are memset (no page
// fault when reused); the rest are dropped with MADV_DONTNEED, which is what
// zeroes a page that was swapped out. mincore's answer only picks the
// cheaper method; either method alone is correct for any page.
void scrub(uint8_t* p, uint64_t len) {
  const uint64_t page = os_page_size();
  unsigned char resident[256];
  for (uint64_t done = 0; done < len;) {
    const uint64_t chunk = std::min<uint64_t>(len - done, sizeof resident * page);
    const uint64_t n = chunk / page;
    uint8_t* q = p + done;
    if (mincore(q, chunk, resident) != 0) {
      madvise(q, chunk, MADV_DONTNEED);
    } else {
      for (uint64_t i = 0; i < n;) {
        uint64_t j = i;
        const bool in = resident[i] & 1;
        while (j < n && bool(resident[j] & 1) == in) ++j;
        if (in)
          std::memset(q + i * page, 0, (j - i) * page);
        else
          madvise(q + i * page, (j - i) * page, MADV_DONTNEED);
        i = j;
      }
    }
    done += chunk;
  }
}

// Pages in [p, p + len) that are the process's own (anonymous) rather than
// a file's: in a private file mapping, those written since it was mapped.
// Asked with PAGEMAP_SCAN (Linux 6.7; declared here as linux/fs.h has it,
// for Debian 12's older headers), which walks the page tables and answers
// in runs. The number of runs (at most kMaxWrittenRuns) in out, or -1
// when the kernel cannot say, or there are more runs or more than
// max_pages pages.
struct PageRun {
  uint8_t* start;
  uint64_t len;
};
constexpr int kMaxWrittenRuns = 256;

struct PmScanArg {
  uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted, category_mask,
      category_anyof_mask, return_mask;
};
struct PageRegion {
  uint64_t start, end, categories;
};
constexpr unsigned long kPagemapScan = _IOWR('f', 16, PmScanArg);
constexpr uint64_t kPageIsFile = 1 << 2, kPageIsPresent = 1 << 3, kPageIsSwapped = 1 << 4;

int written_runs(uint8_t* p, uint64_t len, PageRun* out, uint64_t max_pages) {
  static const int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  PageRegion regions[kMaxWrittenRuns];
  PmScanArg arg{};
  arg.size = sizeof arg;
  arg.start = uintptr_t(p);
  arg.end = uintptr_t(p) + len;
  arg.vec = uintptr_t(regions);
  arg.vec_len = kMaxWrittenRuns;
  arg.max_pages = max_pages + 1;  // one more: then there are too many
  arg.category_inverted = kPageIsFile;
  arg.category_mask = kPageIsFile;                          // not a file's page,
  arg.category_anyof_mask = kPageIsPresent | kPageIsSwapped;  // and there
  arg.return_mask = kPageIsFile | kPageIsPresent | kPageIsSwapped;
  const long n = ioctl(fd, kPagemapScan, &arg);
  if (n < 0 || arg.walk_end != arg.end) return -1;  // (stopped early: too many)
  uint64_t pages = 0;
  for (long i = 0; i < n; ++i) {
    out[i] = {reinterpret_cast<uint8_t*>(regions[i].start), regions[i].end - regions[i].start};
    pages += out[i].len / os_page_size();
  }
  return pages > max_pages ? -1 : int(n);
}

// Takes ownership of an unregistered guarded reservation whose first
// `committed` bytes are read/write. Returns false if the caller should unmap.
bool cache_put(uint8_t* base, uint64_t committed) {
  ReservationCache& c = cache();
  uint64_t keep;
  {
    std::lock_guard lock(c.mu);
    if (c.entries.size() >= c.max_entries) return false;
    keep = std::min(committed, c.keep_resident / kPageSize * kPageSize);
  }
  if (committed > keep) {
    // Beyond the resident budget: give the pages back and close them again,
    // so the cached reservation looks like a fresh one of `keep` bytes.
    if (madvise(base + keep, committed - keep, MADV_DONTNEED) != 0 ||
        mprotect(base + keep, committed - keep, PROT_NONE) != 0)
      return false;
  }
  scrub(base, keep);
  std::lock_guard lock(c.mu);
  if (c.entries.size() >= c.max_entries) return false;
  c.entries.push_back({base, keep});
  return true;
}

// A cached reservation with exactly [0, bytes) read/write, or nullptr.
uint8_t* cache_take(uint64_t bytes) {
  ReservationCache& c = cache();
  CachedReservation r;
  {
    std::lock_guard lock(c.mu);
    if (c.entries.empty()) return nullptr;
    // Prefer an exact fit: the same module instantiated again needs no
    // mprotect at all.
    auto it = std::find_if(c.entries.begin(), c.entries.end(),
                           [&](const CachedReservation& e) { return e.committed == bytes; });
    if (it == c.entries.end()) it = c.entries.end() - 1;
    r = *it;
    *it = c.entries.back();
    c.entries.pop_back();
  }
  int err = 0;
  if (r.committed < bytes)
    err = mprotect(r.base + r.committed, bytes - r.committed, PROT_READ | PROT_WRITE);
  else if (r.committed > bytes)
    // The pages stay resident and zero; a later grow reopens them.
    err = mprotect(r.base + bytes, r.committed - bytes, PROT_NONE);
  if (err != 0) {
    munmap(r.base, LinearMemory::kGuardedReservationBytes);
    return nullptr;
  }
  return r.base;
}

}  // namespace

Result<LinearMemory> LinearMemory::create(const Limits& limits, uint64_t limit_bytes) {
  const uint64_t index_max = limits.is64 ? kMaxPages64 : kMaxPages32;
  if (limits.min > index_max || (limits.has_max && limits.max > index_max))
    return alloc_error("memory size must be at most " + std::to_string(index_max) + " pages");
  if (limits.has_max && limits.min > limits.max)
    return alloc_error("size minimum must not be greater than maximum");
  const uint64_t max_pages = limits.has_max ? limits.max : index_max;
  const uint64_t min_bytes = limits.min * kPageSize;  // <= 2^64 - 2^16: no overflow
  if (min_bytes > limit_bytes)
    return make_error(ErrorKind::Limit, "memory size exceeds the configured limit");

  LinearMemory m;
  m.max_pages_ = max_pages;
  m.has_max_ = limits.has_max;
  m.is64_ = limits.is64;
  m.limit_bytes_ = limit_bytes;

  bool committed = false;
  if (!limits.is64) {
    if (uint8_t* p = cache_take(min_bytes)) {
      m.base_ = p;
      committed = true;
    } else if (void* q = reserve(kGuardedReservationBytes)) {
      m.base_ = static_cast<uint8_t*>(q);
    }
    if (m.base_) {
      m.reserved_ = kGuardedReservationBytes;
      m.guarded_ = true;
    }
  }
  if (!m.base_) {
    // No guard region: reserve only what the memory can ever use, and if
    // even that is refused, settle for less (grow will fail earlier).
    const uint64_t cap_pages = (limits.is64 ? kMemory64ReserveCap : kFourGiB) / kPageSize;
    uint64_t pages = std::min({max_pages, cap_pages, limit_bytes / kPageSize});
    const uint64_t floor_pages = std::max<uint64_t>(limits.min, 1);
    pages = std::max(pages, floor_pages);
    for (;;) {
      if (void* p = reserve(pages * kPageSize)) {
        m.base_ = static_cast<uint8_t*>(p);
        m.reserved_ = pages * kPageSize;
        break;
      }
      if (pages == floor_pages) return alloc_error("cannot reserve address space for memory");
      pages = std::max(pages / 2, floor_pages);
    }
  }
  if (!committed && min_bytes != 0 && mprotect(m.base_, min_bytes, PROT_READ | PROT_WRITE) != 0)
    return alloc_error("cannot commit memory");  // m's destructor unmaps
  m.size_ = min_bytes;
  if (m.guarded_) {
    m.region_ = register_guard_region(m.reservation_begin(), m.reservation_end());
    if (!m.region_) return alloc_error("cannot register guard region");
  }
  return m;
}

LinearMemory::LinearMemory(LinearMemory&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      reserved_(std::exchange(o.reserved_, 0)),
      max_pages_(o.max_pages_),
      limit_bytes_(o.limit_bytes_),
      image_bytes_(std::exchange(o.image_bytes_, 0)),
      image_src_(std::exchange(o.image_src_, nullptr)),
      region_(std::exchange(o.region_, 0)),
      has_max_(o.has_max_),
      is64_(o.is64_),
      guarded_(std::exchange(o.guarded_, false)) {}

LinearMemory& LinearMemory::operator=(LinearMemory&& o) noexcept {
  if (this != &o) {
    release();
    base_ = std::exchange(o.base_, nullptr);
    size_ = std::exchange(o.size_, 0);
    reserved_ = std::exchange(o.reserved_, 0);
    max_pages_ = o.max_pages_;
    limit_bytes_ = o.limit_bytes_;
    image_bytes_ = std::exchange(o.image_bytes_, 0);
    image_src_ = std::exchange(o.image_src_, nullptr);
    region_ = std::exchange(o.region_, 0);
    has_max_ = o.has_max_;
    is64_ = o.is64_;
    guarded_ = std::exchange(o.guarded_, false);
  }
  return *this;
}

LinearMemory::~LinearMemory() { release(); }

bool LinearMemory::map_image(int fd, uint64_t len, const uint8_t* src) {
  if (!guarded_ || len > size_ || len % os_page_size() != 0) return false;
  if (mmap(base_, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) return false;
  image_bytes_ = len;
  image_src_ = src;
  return true;
}

bool LinearMemory::reset(uint64_t bytes) {
  if (!guarded_ || bytes > size_ || bytes % kPageSize != 0) return false;
  // The image's pages the guest wrote are its own (anonymous) copies: the
  // image's bytes go back over them, when the kernel can say which they
  // are and they are few; else all are dropped (they read as the image
  // again). Copying keeps the pages the guest only read mapped, and the
  // written ones writable: no page faults when the next request touches
  // them again, and no TLB flush (madvise's, an interrupt of every other
  // core running this process, was most of a reset).
  if (image_bytes_) {
    bool copied = false;
    if (image_src_) {
      PageRun runs[kMaxWrittenRuns];
      const int n = written_runs(base_, image_bytes_, runs, kResetResidentBytes / os_page_size());
      for (int i = 0; i < n; ++i) std::memcpy(runs[i].start, image_src_ + (runs[i].start - base_), runs[i].len);
      copied = n >= 0;
    }
    if (!copied && madvise(base_, image_bytes_, MADV_DONTNEED) != 0) return false;
  }
  // Past it, the first kResetResidentBytes are zeroed in place where
  // resident (scrub: memset, no page faults when the next request touches
  // them again, and no syscall that flushes TLBs: with an event loop per
  // core, every madvise that unmapped pages interrupted the other core to
  // flush its TLB, a third of the server's time with a small handler);
  // the rest is dropped.
  const uint64_t tail = size_ - image_bytes_;
  const uint64_t keep = std::min(tail, kResetResidentBytes);
  scrub(base_ + image_bytes_, keep);
  if (tail > keep && madvise(base_ + image_bytes_ + keep, tail - keep, MADV_DONTNEED) != 0) return false;
  if (size_ > bytes && mprotect(base_ + bytes, size_ - bytes, PROT_NONE) != 0) return false;
  size_ = bytes;
  return true;
}

void LinearMemory::release() {
  // Unregister before unmapping: once unmapped, the range may be handed to
  // an unrelated mapping whose faults must not become traps.
  unregister_guard_region(region_);
  region_ = 0;
  // A mapped image becomes anonymous zero pages again before the
  // reservation is cached (scrubbing would copy the image's pages, and
  // MADV_DONTNEED would bring its bytes back, not zeros).
  if (base_ && image_bytes_ &&
      mmap(base_, image_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
           -1, 0) == MAP_FAILED) {
    munmap(base_, reserved_);
    base_ = nullptr;
  }
  image_bytes_ = 0;
  image_src_ = nullptr;
  if (base_ && !(guarded_ && cache_put(base_, size_))) munmap(base_, reserved_);
  base_ = nullptr;
  size_ = reserved_ = 0;
  guarded_ = false;
}

void LinearMemory::configure_reservation_cache(size_t max_entries, uint64_t keep_resident_bytes) {
  ReservationCache& c = cache();
  std::vector<CachedReservation> surplus;
  {
    std::lock_guard lock(c.mu);
    c.max_entries = max_entries;
    c.keep_resident = keep_resident_bytes;
    while (c.entries.size() > max_entries) {
      surplus.push_back(c.entries.back());
      c.entries.pop_back();
    }
  }
  for (const CachedReservation& r : surplus) munmap(r.base, kGuardedReservationBytes);
}

size_t LinearMemory::cached_reservations() {
  ReservationCache& c = cache();
  std::lock_guard lock(c.mu);
  return c.entries.size();
}

int64_t LinearMemory::grow(uint64_t delta_pages) {
  const uint64_t old_pages = pages();
  if (delta_pages == 0) return int64_t(old_pages);
  if (delta_pages > max_pages_ - old_pages) return -1;
  const uint64_t new_pages = old_pages + delta_pages;
  // A guarded memory's reservation is mostly guard: only 4 GiB is usable.
  const uint64_t usable_pages = guarded_ ? kMaxPages32 : reserved_ / kPageSize;
  if (new_pages > usable_pages) return -1;
  const uint64_t new_bytes = new_pages * kPageSize;  // <= reserved_: no overflow
  if (new_bytes > limit_bytes_) return -1;
  // Pages that were never writable have never been touched, so they are
  // still the zero pages the anonymous mapping started with.
  if (mprotect(base_ + size_, new_bytes - size_, PROT_READ | PROT_WRITE) != 0) return -1;
  size_ = new_bytes;
  return int64_t(old_pages);
}

}  // namespace wisp
