// poll_oneoff: wait for clocks and descriptor readiness.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

uint64_t now_ns(clockid_t clk) {
  timespec ts;
  clock_gettime(clk, &ts);
  return to_ns(ts);
}

struct Event {
  uint64_t userdata;
  Errno error;
  EventType type;
  uint64_t nbytes;
  uint16_t flags;
};

struct Waiter {
  uint64_t userdata;
  EventType type;
  // Clocks: when the subscription fires, on CLOCK_MONOTONIC.
  uint64_t deadline = 0;
  // Descriptors: index into the pollfd array.
  size_t pollfd = 0;
};

// Bytes readable without blocking, where the host can tell.
uint64_t readable_bytes(int fd) {
  int n = 0;
  return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? uint64_t(n) : 0;
}

Errno poll_impl(Call& c, u32 in, u32 out, u32 nsubs, u32 nevents_out,
                const layout::Subscription& L) {
  if (nsubs == 0) return Errno::Inval;
  const uint8_t* subs = c.mem.array(in, nsubs, L.size);
  uint8_t* evs = c.mem.array(out, nsubs, layout::kEventSize);
  if (!subs || !evs || !c.mem.in_bounds(nevents_out, 4)) return Errno::Fault;

  std::vector<Event> ready;           // events known without waiting
  std::vector<Waiter> clocks, fds;
  std::vector<pollfd> pfds;
  uint64_t mono = now_ns(CLOCK_MONOTONIC);
  for (u32 i = 0; i < nsubs; ++i) {
    const uint8_t* s = subs + uint64_t(i) * L.size;
    uint64_t userdata = get<uint64_t>(s, 0);
    uint8_t tag = get<uint8_t>(s, 8);
    if (tag == uint8_t(EventType::Clock)) {
      uint32_t id = get<uint32_t>(s, L.clock_id);
      uint64_t timeout = get<uint64_t>(s, L.clock_timeout);
      uint16_t flags = get<uint16_t>(s, L.clock_flags);
      clockid_t clk;
      if (id == uint32_t(ClockId::Monotonic)) clk = CLOCK_MONOTONIC;
      else if (id == uint32_t(ClockId::Realtime)) clk = CLOCK_REALTIME;
      else {
        ready.push_back({userdata, Errno::Inval, EventType::Clock, 0, 0});
        continue;
      }
      uint64_t remaining = timeout;
      if (flags & kSubclockAbstime) {
        uint64_t now = clk == CLOCK_MONOTONIC ? mono : now_ns(clk);
        remaining = timeout > now ? timeout - now : 0;
      }
      uint64_t deadline = remaining > UINT64_MAX - mono ? UINT64_MAX : mono + remaining;
      clocks.push_back({userdata, EventType::Clock, deadline, 0});
    } else if (tag == uint8_t(EventType::FdRead) || tag == uint8_t(EventType::FdWrite)) {
      EventType type = EventType(tag);
      uint32_t fd = get<uint32_t>(s, L.fd);
      FdEntry* e;
      if (Errno err = c.ctx.fds.get(fd, right::PollFdReadwrite, e); err != Errno::Success) {
        ready.push_back({userdata, err, type, 0, 0});
        continue;
      }
      struct stat st;
      if (fstat(e->host, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
        // Files never block; report what is left to read.
        uint64_t n = 0;
        if (type == EventType::FdRead && S_ISREG(st.st_mode)) {
          off_t pos = lseek(e->host, 0, SEEK_CUR);
          if (pos >= 0 && st.st_size > pos) n = uint64_t(st.st_size - pos);
        }
        ready.push_back({userdata, Errno::Success, type, n, 0});
        continue;
      }
      fds.push_back({userdata, type, 0, pfds.size()});
      pfds.push_back({e->host, short(type == EventType::FdRead ? POLLIN : POLLOUT), 0});
    } else {
      return Errno::Inval;
    }
  }

  uint64_t first_deadline = UINT64_MAX;
  for (const Waiter& w : clocks) first_deadline = std::min(first_deadline, w.deadline);
  for (;;) {
    timespec ts{}, *tsp = &ts;
    if (ready.empty()) {
      if (first_deadline == UINT64_MAX) tsp = nullptr;  // wait for descriptors only
      else {
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        ts = from_ns(first_deadline > now ? first_deadline - now : 0);
      }
    }
    // With no descriptors ppoll just sleeps: until the earliest clock, or
    // for ever when that clock never fires (a relative timeout of 2^64-1 ns
    // saturates to "no deadline"), as node and wasmtime do.
    if (pfds.empty() && tsp && !tsp->tv_sec && !tsp->tv_nsec) break;
    int n = ppoll(pfds.data(), nfds_t(pfds.size()), tsp, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_errno();
    }
    break;
  }

  for (const Waiter& w : fds) {
    short re = pfds[w.pollfd].revents;
    if (!re) continue;
    if (re & POLLNVAL) ready.push_back({w.userdata, Errno::Badf, w.type, 0, 0});
    else if (re & (POLLIN | POLLOUT))
      ready.push_back({w.userdata, Errno::Success, w.type,
                       w.type == EventType::FdRead ? readable_bytes(pfds[w.pollfd].fd) : 0,
                       uint16_t(re & POLLHUP ? kEventRwHangup : 0)});
    else if (re & POLLHUP) ready.push_back({w.userdata, Errno::Success, w.type, 0, kEventRwHangup});
    else ready.push_back({w.userdata, Errno::Io, w.type, 0, 0});
  }
  if (ready.empty()) {
    // Nothing became ready, so the earliest clock (and any other that is
    // due by now) fired.
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    for (const Waiter& w : clocks)
      if (w.deadline <= now || w.deadline == first_deadline)
        ready.push_back({w.userdata, Errno::Success, EventType::Clock, 0, 0});
  }

  std::memset(evs, 0, ready.size() * layout::kEventSize);
  for (size_t i = 0; i < ready.size(); ++i) {
    uint8_t* p = evs + i * layout::kEventSize;
    put<uint64_t>(p, 0, ready[i].userdata);
    put<uint16_t>(p, 8, uint16_t(ready[i].error));
    put<uint8_t>(p, 10, uint8_t(ready[i].type));
    put<uint64_t>(p, 16, ready[i].nbytes);
    put<uint16_t>(p, 24, ready[i].flags);
  }
  c.mem.store<uint32_t>(nevents_out, uint32_t(ready.size()));
  return Errno::Success;
}

}  // namespace

Errno poll_oneoff(Call& c, u32 in, u32 out, u32 nsubs, u32 nevents_out) {
  return poll_impl(c, in, out, nsubs, nevents_out, layout::kSubscriptionP1);
}
Errno poll_oneoff_unstable(Call& c, u32 in, u32 out, u32 nsubs, u32 nevents_out) {
  return poll_impl(c, in, out, nsubs, nevents_out, layout::kSubscriptionUnstable);
}

}  // namespace wisp::wasi::fn
