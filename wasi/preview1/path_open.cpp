// path_open: the one way a guest gains a new descriptor from a path.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/preview1/errno_map.hpp"
#include "wasi/preview1/functions.hpp"
#include "wasi/preview1/host_stat.hpp"
#include "wasi/preview1/sandbox.hpp"
#include "wasi/wasi.hpp"

namespace wisp::wasi::fn {

Errno path_open(Call& c, u32 dirfd, u32 dirflags, u32 path, u32 path_len, u32 oflags_in,
                u64 base, u64 inheriting, u32 fdflags_in, u32 fd_out) {
  FdEntry* dir;
  if (Errno e = c.ctx.fds.get(dirfd, right::PathOpen, dir); e != Errno::Success) return e;
  if (dir->kind != FdKind::Directory) return Errno::NotDir;
  if ((oflags_in & ~uint32_t(oflags::All)) || (fdflags_in & ~uint32_t(fdflags::All)) ||
      (dirflags & ~lookupflags::SymlinkFollow))
    return Errno::Inval;

  // What the directory must allow: opening, plus creating or truncating.
  Rights needed = right::PathOpen;
  if (oflags_in & oflags::Creat) needed |= right::PathCreateFile;
  if (oflags_in & oflags::Trunc) needed |= right::PathFilestatSetSize;
  if ((dir->base & needed) != needed) return Errno::NotCapable;
  // And the new descriptor can hold only rights the directory passes on.
  if ((base | inheriting) & ~dir->inheriting) return Errno::NotCapable;

  std::string_view p;
  if (!c.mem.view(path, path_len, p) || !c.mem.in_bounds(fd_out, 4)) return Errno::Fault;

  // The host access mode follows the rights asked for, so a descriptor the
  // guest may only read is read-only on the host as well.
  bool read = base & (right::FdRead | right::FdReaddir);
  bool write = (base & (right::FdWrite | right::FdDatasync | right::FdAllocate |
                        right::FdFilestatSetSize)) ||
               (oflags_in & oflags::Trunc);
  int flags = (write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY) | O_CLOEXEC | O_NOCTTY;
  if (oflags_in & oflags::Creat) flags |= O_CREAT;
  if (oflags_in & oflags::Directory) flags |= O_DIRECTORY;
  if (oflags_in & oflags::Excl) flags |= O_EXCL;
  if (oflags_in & oflags::Trunc) flags |= O_TRUNC;
  if (fdflags_in & fdflags::Append) flags |= O_APPEND;
  if (fdflags_in & fdflags::Dsync) flags |= O_DSYNC;
  if (fdflags_in & fdflags::Nonblock) flags |= O_NONBLOCK;
  if (fdflags_in & fdflags::Rsync) flags |= O_RSYNC;
  if (fdflags_in & fdflags::Sync) flags |= O_SYNC;

  UniqueFd fd;
  bool follow = dirflags & lookupflags::SymlinkFollow;
  if (Errno e = sandbox::open_beneath(dir->host, p, flags, 0666, follow, fd); e != Errno::Success)
    return e;
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return last_errno();

  FdEntry ne;
  ne.filetype = filetype_from_mode(st.st_mode);
  ne.kind = S_ISDIR(st.st_mode) ? FdKind::Directory : FdKind::File;
  Rights max = S_ISDIR(st.st_mode) ? right::Directory
               : isatty(fd.get())   ? right::Tty  // what libc's isatty() looks for
                                    : right::RegularFile;
  ne.base = base & max;
  ne.inheriting = inheriting;
  ne.rsync = fdflags_in & fdflags::Rsync;
  ne.guest_nonblock = fdflags_in & fdflags::Nonblock;
  ne.host = fd.release();
  uint32_t guest_fd;
  if (Errno e = c.ctx.fds.insert(std::move(ne), guest_fd); e != Errno::Success) return e;
  c.mem.store<uint32_t>(fd_out, guest_fd);
  return Errno::Success;
}

}  // namespace wisp::wasi::fn
