// fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell: the data path.
// Kept lean: one rights check, one validation pass over the iovecs, one
// syscall per batch of 64 buffers, no allocation.
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/iovec.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

// Runs io(host, iov, count, offset) batch by batch until a short transfer,
// the end of the list, or an error. An error after some bytes moved is
// reported as the short count (as readv/writev would have).
// A host descriptor may be non-blocking without the guest having asked
// (stdio inherited from a parent that set O_NONBLOCK on its file
// description). The guest expects blocking I/O then, so wait and retry.
bool wait_if_unasked_nonblock(const FdEntry& e, short events) {
  if (errno != EAGAIN || e.guest_nonblock) return false;
  pollfd p{e.host, events, 0};
  return poll(&p, 1, -1) >= 0 || errno == EINTR;
}

template <class Io>
Errno transfer(Call& c, u32 fd, Rights needed, u32 iovs, u32 iovs_len, int64_t offset,
               u32 count_out, short events, Io io) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, needed, e); err != Errno::Success) return err;
  if (!c.mem.in_bounds(count_out, 4)) return Errno::Fault;
  IovecList list;
  if (Errno err = list.init(c.mem, iovs, iovs_len); err != Errno::Success) return err;
  iovec v[IovecList::kBatch];
  uint64_t total = 0;
  do {
    uint64_t want;
    uint32_t k = list.next(v, want);
    ssize_t n;
    do {
      n = io(e->host, v, int(k), offset < 0 ? offset : offset + int64_t(total));
    } while (n < 0 && (errno == EINTR || (total == 0 && wait_if_unasked_nonblock(*e, events))));
    if (n < 0) {
      if (total == 0) return last_errno();
      break;
    }
    total += uint64_t(n);
    if (uint64_t(n) < want) break;
  } while (!list.done());
  c.mem.store<uint32_t>(count_out, uint32_t(total));
  return Errno::Success;
}

// One buffer (what libc's stdio flush passes nearly always) goes through the
// plain call: the kernel then has no iovec array to copy in.
ssize_t do_readv(int fd, const iovec* v, int n, int64_t) {
  return n == 1 ? read(fd, v->iov_base, v->iov_len) : readv(fd, v, n);
}
ssize_t do_writev(int fd, const iovec* v, int n, int64_t) {
  return n == 1 ? write(fd, v->iov_base, v->iov_len) : writev(fd, v, n);
}
ssize_t do_preadv(int fd, const iovec* v, int n, int64_t off) {
  return n == 1 ? pread(fd, v->iov_base, v->iov_len, off) : preadv(fd, v, n, off);
}
ssize_t do_pwritev(int fd, const iovec* v, int n, int64_t off) {
  return n == 1 ? pwrite(fd, v->iov_base, v->iov_len, off) : pwritev(fd, v, n, off);
}

Errno seek(Call& c, u32 fd, int64_t offset, int whence, u32 out) {
  // Asking for the position only needs FD_TELL (how libc implements ftell).
  FdEntry* e = c.ctx.fds.find(fd);
  if (!e) return Errno::Badf;
  bool tell_only = offset == 0 && whence == SEEK_CUR;
  if (!(e->base & right::FdSeek) && !(tell_only && (e->base & right::FdTell)))
    return Errno::NotCapable;
  if (!c.mem.in_bounds(out, 8)) return Errno::Fault;
  off_t pos = lseek(e->host, offset, whence);
  if (pos < 0) return last_errno();
  c.mem.store<uint64_t>(out, uint64_t(pos));
  return Errno::Success;
}

}  // namespace

Errno fd_read(Call& c, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out) {
  return transfer(c, fd, right::FdRead, iovs, iovs_len, -1, nread_out, POLLIN, do_readv);
}

Errno fd_write(Call& c, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out) {
  return transfer(c, fd, right::FdWrite, iovs, iovs_len, -1, nwritten_out, POLLOUT, do_writev);
}

Errno fd_pread(Call& c, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nread_out) {
  if (offset > uint64_t(INT64_MAX)) return Errno::Inval;
  return transfer(c, fd, right::FdRead | right::FdSeek, iovs, iovs_len, int64_t(offset),
                  nread_out, POLLIN, do_preadv);
}

// On a file opened with O_APPEND, Linux appends even here; the spec leaves
// the position unchanged either way, which pwritev guarantees.
Errno fd_pwrite(Call& c, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nwritten_out) {
  if (offset > uint64_t(INT64_MAX)) return Errno::Inval;
  return transfer(c, fd, right::FdWrite | right::FdSeek, iovs, iovs_len, int64_t(offset),
                  nwritten_out, POLLOUT, do_pwritev);
}

Errno fd_seek(Call& c, u32 fd, u64 offset, u32 whence, u32 out) {
  int w;
  switch (whence) {
    case 0: w = SEEK_SET; break;
    case 1: w = SEEK_CUR; break;
    case 2: w = SEEK_END; break;
    default: return Errno::Inval;
  }
  return seek(c, fd, int64_t(offset), w, out);
}

Errno fd_seek_unstable(Call& c, u32 fd, u64 offset, u32 whence, u32 out) {
  int w;
  switch (whence) {
    case 0: w = SEEK_CUR; break;
    case 1: w = SEEK_END; break;
    case 2: w = SEEK_SET; break;
    default: return Errno::Inval;
  }
  return seek(c, fd, int64_t(offset), w, out);
}

Errno fd_tell(Call& c, u32 fd, u32 out) { return seek(c, fd, 0, SEEK_CUR, out); }

}  // namespace wisp::wasi::fn
