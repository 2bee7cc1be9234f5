// Host stat/time <-> WASI conversions shared by fd_* and path_*.
#pragma once
#include <sys/stat.h>
#include <time.h>

#include <cstdint>

#include "wasi/preview1/abi.hpp"
#include "wasi/preview1/guest_memory.hpp"

namespace wisp::wasi {

Filetype filetype_from_mode(mode_t mode);

inline uint64_t to_ns(const timespec& ts) {
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}
inline timespec from_ns(uint64_t ns) {
  timespec ts;
  ts.tv_sec = time_t(ns / 1000000000ull);
  ts.tv_nsec = long(ns % 1000000000ull);
  return ts;
}

// Writes st as a filestat in the given layout at addr; EFAULT if it does not
// fit in memory.
Errno write_filestat(const GuestMemory& mem, uint32_t addr, const struct stat& st,
                     const layout::Filestat& l);

// Builds the utimensat/futimens argument from fst_flags; EINVAL for a time
// both given and "now", or unknown bits.
Errno times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fst, timespec out[2]);

}  // namespace wisp::wasi
