// path_* operations other than path_open: the rights check and the guest's
// memory here, the operation itself in path_ops.hpp (shared with WASI 0.2),
// which resolves each path with the sandbox so that nothing reaches outside
// the directory the guest named.
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/preview1/path_ops.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {
namespace {

// The directory descriptor (with `needed` rights) and the guest's path.
Errno dir_path(Call& c, u32 fd, Rights needed, u32 path, u32 len, FdEntry*& dir,
               std::string_view& p) {
  if (Errno e = c.ctx.fds.get(fd, needed, dir); e != Errno::Success) return e;
  if (dir->kind != FdKind::Directory) return Errno::NotDir;
  if (!c.mem.view(path, len, p)) return Errno::Fault;
  return Errno::Success;
}

Errno filestat_get(Call& c, u32 fd, u32 flags, u32 path, u32 len, u32 out,
                   const layout::Filestat& l) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathFilestatGet, path, len, dir, p); e != Errno::Success)
    return e;
  if (flags & ~lookupflags::SymlinkFollow) return Errno::Inval;
  if (!c.mem.in_bounds(out, l.size)) return Errno::Fault;
  struct stat st;
  if (Errno e = path_ops::stat_at(dir->host, p, flags & lookupflags::SymlinkFollow, st); e != Errno::Success)
    return e;
  return write_filestat(c.mem, out, st, l);
}

}  // namespace

Errno path_create_directory(Call& c, u32 fd, u32 path, u32 len) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathCreateDirectory, path, len, dir, p); e != Errno::Success)
    return e;
  return path_ops::create_directory(dir->host, p);
}

Errno path_filestat_get(Call& c, u32 fd, u32 flags, u32 path, u32 len, u32 out) {
  return filestat_get(c, fd, flags, path, len, out, layout::kFilestatP1);
}
Errno path_filestat_get_unstable(Call& c, u32 fd, u32 flags, u32 path, u32 len, u32 out) {
  return filestat_get(c, fd, flags, path, len, out, layout::kFilestatUnstable);
}

Errno path_filestat_set_times(Call& c, u32 fd, u32 flags, u32 path, u32 len, u64 atim, u64 mtim,
                              u32 fst) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathFilestatSetTimes, path, len, dir, p);
      e != Errno::Success)
    return e;
  if (flags & ~lookupflags::SymlinkFollow) return Errno::Inval;
  timespec ts[2];
  if (Errno e = times_from_flags(atim, mtim, fst, ts); e != Errno::Success) return e;
  return path_ops::set_times(dir->host, p, flags & lookupflags::SymlinkFollow, ts);
}

Errno path_link(Call& c, u32 old_fd, u32 old_flags, u32 old_path, u32 old_len, u32 new_fd,
                u32 new_path, u32 new_len) {
  FdEntry *odir, *ndir;
  std::string_view op, np;
  if (Errno e = dir_path(c, old_fd, right::PathLinkSource, old_path, old_len, odir, op);
      e != Errno::Success)
    return e;
  if (Errno e = dir_path(c, new_fd, right::PathLinkTarget, new_path, new_len, ndir, np);
      e != Errno::Success)
    return e;
  if (old_flags & ~lookupflags::SymlinkFollow) return Errno::Inval;
  return path_ops::link(odir->host, op, old_flags & lookupflags::SymlinkFollow, ndir->host, np);
}

Errno path_readlink(Call& c, u32 fd, u32 path, u32 len, u32 buf, u32 buf_len, u32 bufused_out) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathReadlink, path, len, dir, p); e != Errno::Success)
    return e;
  uint8_t* out = c.mem.ptr(buf, buf_len);
  if (!out || !c.mem.in_bounds(bufused_out, 4)) return Errno::Fault;
  std::string target;
  if (Errno e = path_ops::readlink(dir->host, p, target); e != Errno::Success) return e;
  // Like readlink(2), a short buffer gets the first buf_len bytes.
  uint32_t copy = uint32_t(std::min<uint64_t>(target.size(), buf_len));
  std::memcpy(out, target.data(), copy);
  c.mem.store<uint32_t>(bufused_out, copy);
  return Errno::Success;
}

Errno path_remove_directory(Call& c, u32 fd, u32 path, u32 len) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathRemoveDirectory, path, len, dir, p);
      e != Errno::Success)
    return e;
  return path_ops::remove_directory(dir->host, p);
}

Errno path_rename(Call& c, u32 fd, u32 old_path, u32 old_len, u32 new_fd, u32 new_path,
                  u32 new_len) {
  FdEntry *odir, *ndir;
  std::string_view op, np;
  if (Errno e = dir_path(c, fd, right::PathRenameSource, old_path, old_len, odir, op);
      e != Errno::Success)
    return e;
  if (Errno e = dir_path(c, new_fd, right::PathRenameTarget, new_path, new_len, ndir, np);
      e != Errno::Success)
    return e;
  return path_ops::rename(odir->host, op, ndir->host, np);
}

Errno path_symlink(Call& c, u32 old_path, u32 old_len, u32 fd, u32 new_path, u32 new_len) {
  FdEntry* dir;
  std::string_view np, target;
  if (Errno e = dir_path(c, fd, right::PathSymlink, new_path, new_len, dir, np); e != Errno::Success)
    return e;
  if (!c.mem.view(old_path, old_len, target)) return Errno::Fault;
  return path_ops::symlink(target, dir->host, np);
}

Errno path_unlink_file(Call& c, u32 fd, u32 path, u32 len) {
  FdEntry* dir;
  std::string_view p;
  if (Errno e = dir_path(c, fd, right::PathUnlinkFile, path, len, dir, p); e != Errno::Success)
    return e;
  return path_ops::unlink_file(dir->host, p);
}

}  // namespace wisp::wasi::fn
