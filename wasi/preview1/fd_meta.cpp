// Descriptor metadata and housekeeping: fdstat, filestat, prestat, advise,
// allocate, sync, close, renumber.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

Errno filestat_get(Call& c, u32 fd, u32 out, const layout::Filestat& l) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdFilestatGet, e); err != Errno::Success) return err;
  if (!c.mem.in_bounds(out, l.size)) return Errno::Fault;
  struct stat st;
  if (fstat(e->host, &st) != 0) return last_errno();
  return write_filestat(c.mem, out, st, l);
}

uint16_t host_to_fdflags(int fl, bool rsync) {
  uint16_t f = 0;
  if (fl & O_APPEND) f |= fdflags::Append;
  if (fl & O_NONBLOCK) f |= fdflags::Nonblock;
  // O_SYNC includes the O_DSYNC bit on Linux; report what was asked for.
  if ((fl & O_SYNC) == O_SYNC) f |= fdflags::Sync;
  else if (fl & O_DSYNC) f |= fdflags::Dsync;
  if (rsync) f |= fdflags::Rsync;
  return f;
}

}  // namespace

Errno fd_advise(Call& c, u32 fd, u64 offset, u64 len, u32 advice) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdAdvise, e); err != Errno::Success) return err;
  int a;
  switch (advice) {
    case uint32_t(Advice::Normal): a = POSIX_FADV_NORMAL; break;
    case uint32_t(Advice::Sequential): a = POSIX_FADV_SEQUENTIAL; break;
    case uint32_t(Advice::Random): a = POSIX_FADV_RANDOM; break;
    case uint32_t(Advice::WillNeed): a = POSIX_FADV_WILLNEED; break;
    case uint32_t(Advice::DontNeed): a = POSIX_FADV_DONTNEED; break;
    case uint32_t(Advice::NoReuse): a = POSIX_FADV_NOREUSE; break;
    default: return Errno::Inval;
  }
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX)) return Errno::Inval;
  // Advice is only advice: where the host cannot take it (a directory, a
  // pipe), ignoring it is a correct implementation.
  int rc = posix_fadvise(e->host, off_t(offset), off_t(len), a);
  if (rc != 0 && rc != ESPIPE && rc != EINVAL) return from_host_errno(rc);
  if (rc == EINVAL && e->filetype == Filetype::RegularFile) return Errno::Inval;
  return Errno::Success;
}

Errno fd_allocate(Call& c, u32 fd, u64 offset, u64 len) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdAllocate, e); err != Errno::Success) return err;
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset) return Errno::Fbig;
  if (len == 0) return Errno::Inval;
  int rc = posix_fallocate(e->host, off_t(offset), off_t(len));
  return from_host_errno(rc);
}

Errno fd_close(Call& c, u32 fd) { return c.ctx.fds.close(fd); }

Errno fd_datasync(Call& c, u32 fd) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdDatasync, e); err != Errno::Success) return err;
  return fdatasync(e->host) == 0 ? Errno::Success : last_errno();
}

Errno fd_sync(Call& c, u32 fd) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdSync, e); err != Errno::Success) return err;
  return fsync(e->host) == 0 ? Errno::Success : last_errno();
}

Errno fd_fdstat_get(Call& c, u32 fd, u32 out) {
  FdEntry* e = c.ctx.fds.find(fd);
  if (!e) return Errno::Badf;
  uint8_t* p = c.mem.ptr(out, layout::kFdstatSize);
  if (!p) return Errno::Fault;
  int fl = fcntl(e->host, F_GETFL);
  std::memset(p, 0, layout::kFdstatSize);
  put<uint8_t>(p, layout::kFdstatFiletype, uint8_t(e->filetype));
  put<uint16_t>(p, layout::kFdstatFlags, fl < 0 ? 0 : host_to_fdflags(fl, e->rsync));
  put<uint64_t>(p, layout::kFdstatRightsBase, e->base);
  put<uint64_t>(p, layout::kFdstatRightsInheriting, e->inheriting);
  return Errno::Success;
}

Errno fd_fdstat_set_flags(Call& c, u32 fd, u32 flags) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdFdstatSetFlags, e); err != Errno::Success) return err;
  if (flags & ~uint32_t(fdflags::All)) return Errno::Inval;
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0) return last_errno();
  // Linux cannot switch synchronous I/O on or off after open; refuse a
  // change rather than pretend.
  constexpr uint16_t kSyncs = fdflags::Dsync | fdflags::Sync | fdflags::Rsync;
  if ((flags & kSyncs) != (host_to_fdflags(fl, e->rsync) & kSyncs)) return Errno::NotSup;
  int nfl = fl & ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflags::Append) nfl |= O_APPEND;
  if (flags & fdflags::Nonblock) nfl |= O_NONBLOCK;
  if (fcntl(e->host, F_SETFL, nfl) != 0) return last_errno();
  e->guest_nonblock = flags & fdflags::Nonblock;
  return Errno::Success;
}

Errno fd_fdstat_set_rights(Call& c, u32 fd, u64 base, u64 inheriting) {
  FdEntry* e = c.ctx.fds.find(fd);
  if (!e) return Errno::Badf;
  // Rights only ever shrink.
  if ((base & ~e->base) || (inheriting & ~e->inheriting)) return Errno::NotCapable;
  e->base = base;
  e->inheriting = inheriting;
  return Errno::Success;
}

Errno fd_filestat_get(Call& c, u32 fd, u32 out) {
  return filestat_get(c, fd, out, layout::kFilestatP1);
}
Errno fd_filestat_get_unstable(Call& c, u32 fd, u32 out) {
  return filestat_get(c, fd, out, layout::kFilestatUnstable);
}

Errno fd_filestat_set_size(Call& c, u32 fd, u64 size) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdFilestatSetSize, e); err != Errno::Success) return err;
  if (size > uint64_t(INT64_MAX)) return Errno::Inval;
  return ftruncate(e->host, off_t(size)) == 0 ? Errno::Success : last_errno();
}

Errno fd_filestat_set_times(Call& c, u32 fd, u64 atim, u64 mtim, u32 fst) {
  FdEntry* e;
  if (Errno err = c.ctx.fds.get(fd, right::FdFilestatSetTimes, e); err != Errno::Success)
    return err;
  timespec ts[2];
  if (Errno err = times_from_flags(atim, mtim, fst, ts); err != Errno::Success) return err;
  return futimens(e->host, ts) == 0 ? Errno::Success : last_errno();
}

Errno fd_prestat_get(Call& c, u32 fd, u32 out) {
  FdEntry* e = c.ctx.fds.find(fd);
  if (!e || !e->is_preopen) return Errno::Badf;
  uint8_t* p = c.mem.ptr(out, layout::kPrestatSize);
  if (!p) return Errno::Fault;
  put<uint32_t>(p, 0, kPreopenTypeDir);  // tag byte plus zeroed padding
  put<uint32_t>(p, 4, uint32_t(e->preopen.size()));
  return Errno::Success;
}

Errno fd_prestat_dir_name(Call& c, u32 fd, u32 path, u32 path_len) {
  FdEntry* e = c.ctx.fds.find(fd);
  if (!e || !e->is_preopen) return Errno::Badf;
  if (path_len < e->preopen.size()) return Errno::NameTooLong;
  uint8_t* p = c.mem.ptr(path, e->preopen.size());
  if (!p) return Errno::Fault;
  std::memcpy(p, e->preopen.data(), e->preopen.size());
  return Errno::Success;
}

Errno fd_renumber(Call& c, u32 fd, u32 to) { return c.ctx.fds.renumber(fd, to); }

}  // namespace wisp::wasi::fn
