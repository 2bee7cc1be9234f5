// Guest iovec arrays -> host struct iovec, without allocating.
//
// The common case (a libc flushing one or two buffers) fits one stack batch;
// longer arrays are processed batch by batch. Every entry is validated before
// any I/O happens, so a bad pointer late in the array cannot leave a partial
// write behind.
#pragma once
#include <sys/uio.h>

#include <cstdint>

#include "wasi/preview1/abi.hpp"
#include "wasi/preview1/guest_memory.hpp"

namespace wisp::wasi {

class IovecList {
 public:
  static constexpr uint32_t kBatch = 64;

  // EFAULT if the array or any buffer it names lies outside memory.
  Errno init(const GuestMemory& mem, uint32_t iovs, uint32_t n) {
    const uint8_t* a = mem.array(iovs, n, layout::kIovecSize);
    if (!a) return Errno::Fault;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t buf = get<uint32_t>(a, i * 8), len = get<uint32_t>(a, i * 8 + 4);
      if (!mem.in_bounds(buf, len)) return Errno::Fault;
    }
    mem_ = &mem;
    array_ = a;
    n_ = n;
    return Errno::Success;
  }

  bool done() const { return next_ >= n_; }
  // Fills out[] with the next batch; returns its entry count and byte total.
  uint32_t next(iovec* out, uint64_t& bytes) {
    uint32_t k = 0;
    bytes = 0;
    while (next_ < n_ && k < kBatch) {
      uint32_t buf = get<uint32_t>(array_, next_ * 8), len = get<uint32_t>(array_, next_ * 8 + 4);
      out[k].iov_base = mem_->ptr(buf, len);
      out[k].iov_len = len;
      bytes += len;
      ++k;
      ++next_;
    }
    return k;
  }

 private:
  const GuestMemory* mem_ = nullptr;
  const uint8_t* array_ = nullptr;
  uint32_t n_ = 0;
  uint32_t next_ = 0;
};

}  // namespace wisp::wasi
