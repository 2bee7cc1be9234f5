// clock_res_get, clock_time_get, random_get.
#include <sys/random.h>
#include <time.h>

#include <cerrno>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"

namespace wisp::wasi::fn {
namespace {

bool host_clock(u32 id, clockid_t& out) {
  switch (ClockId(id)) {
    case ClockId::Realtime: out = CLOCK_REALTIME; return true;
    case ClockId::Monotonic: out = CLOCK_MONOTONIC; return true;
    case ClockId::ProcessCputime: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case ClockId::ThreadCputime: out = CLOCK_THREAD_CPUTIME_ID; return true;
  }
  return false;
}

}  // namespace

Errno clock_res_get(Call& c, u32 id, u32 out) {
  clockid_t clk;
  if (!host_clock(id, clk)) return Errno::Inval;
  if (!c.mem.in_bounds(out, 8)) return Errno::Fault;
  timespec ts;
  if (clock_getres(clk, &ts) != 0) return last_errno();
  c.mem.store<uint64_t>(out, to_ns(ts));
  return Errno::Success;
}

// precision is a hint the host may ignore; Linux clocks are as cheap at
// full precision as at any other.
Errno clock_time_get(Call& c, u32 id, u64 /*precision*/, u32 out) {
  clockid_t clk;
  if (!host_clock(id, clk)) return Errno::Inval;
  if (!c.mem.in_bounds(out, 8)) return Errno::Fault;
  timespec ts;
  if (clock_gettime(clk, &ts) != 0) return last_errno();
  c.mem.store<uint64_t>(out, to_ns(ts));
  return Errno::Success;
}

Errno random_get(Call& c, u32 buf, u32 len) {
  uint8_t* p = c.mem.ptr(buf, len);
  if (!p) return Errno::Fault;
  size_t done = 0;
  while (done < len) {
    // getrandom returns at most 32 MiB per call and may be interrupted.
    ssize_t n = getrandom(p + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_errno();
    }
    done += size_t(n);
  }
  return Errno::Success;
}

}  // namespace wisp::wasi::fn
